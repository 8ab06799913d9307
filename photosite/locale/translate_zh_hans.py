# ruff: noqa: E501  (CJK characters count double; the table reads best one pair a line)
"""Fill photosite/locale/zh_Hans/LC_MESSAGES/django.po from the table below (run after makemessages).

Keeps the translations reviewable as one Python table; msgfmt then compiles the .mo file.
Usage: make messages (makemessages, this script, then msgfmt).

A key is the msgid, or (context, msgid) for a string marked with pgettext. The project gives
its own words a context where Django's admin uses the same English word differently ("Change"
is 切换 on the language switcher, 修改 in the admin): an entry without context would override
Django's translation everywhere, the admin included. A msgid the project shares with Django's
own pages (the admin templates it extends use "Home", "Go", ...) takes Django's translation.
"""

import gettext
import re
import sys
from pathlib import Path

PO = Path(__file__).parent / "zh_Hans" / "LC_MESSAGES" / "django.po"
# The installed Django apps whose translations the project's pages share (tests/photosite
# test_locale checks the project never translates one of their strings differently).
DJANGO_CATALOGUES = ("conf", "contrib/admin", "contrib/auth")

ZH = {
    "Incorrect email or password.": "邮箱或密码不正确。",
    "Too many attempts. Please wait a few minutes and try again.": "尝试次数过多，请等几分钟再试。",
    "That code is wrong or has expired. Check it, or ask for a new one.": "验证码错误或已过期。请检查，或重新获取验证码。",
    "That password does not meet the password policy.": "该密码不符合密码规则。",
    "This sign-up is not allowed.": "不允许此注册。",
    "Please confirm your email address first.": "请先确认您的邮箱地址。",
    "You need to reset your password before you can sign in.": "登录前需要先重置密码。",
    "Please check what you entered and try again.": "请检查输入的内容后重试。",
    "Sign-in is unavailable right now. Please try again shortly.": "登录服务暂时不可用，请稍后再试。",
    "Something went wrong. Please try again.": "出了点问题，请重试。",
    ("account form", "Email"): "邮箱",
    ("label suffix", ":"): "：",
    "The two passwords differ.": "两次输入的密码不一致。",
    "Display name": "显示名称",
    "Password": "密码",
    "Password again": "再次输入密码",
    "Please choose a display name.": "请设置显示名称。",
    "Code from the email": "邮件中的验证码",
    "New password": "新密码",
    "New password again": "再次输入新密码",
    "Code from your authenticator app": "身份验证器应用中的验证码",
    "Current password": "当前密码",
    "Sign-in with the hosted page failed. Please try again.": "通过托管登录页登录失败，请重试。",
    "That sign-in link has expired. Please start again.": "该登录链接已过期，请重新开始。",
    "Sign-in was cancelled or refused.": "登录已取消或被拒绝。",
    "Your session has ended. Please sign in again.": "会话已结束，请重新登录。",
    "Too many attempts. Please try again in %(minutes)d minutes.": "尝试次数过多，请在 %(minutes)d 分钟后重试。",
    "Your sign-in took too long; start again.": "登录耗时过长，请重新开始。",
    "Sign-in failed. Please try again.": "登录失败，请重试。",
    "If that address can receive a code, we have just sent one. Check your email.": "如果该地址可以接收验证码，我们刚刚已发送。请查收邮件。",
    "This account needs a sign-in step this site does not offer.": "此账户需要本站不支持的登录步骤。",
    "Your email is confirmed. You can sign in now.": "邮箱已确认，现在可以登录了。",
    "Please sign in again.": "请重新登录。",
    "Authenticator apps are not enabled for this site.": "本站未启用身份验证器应用。",
    "Your authenticator app is set up.": "身份验证器应用已设置完成。",
    "Your password has been changed. Please sign in.": "密码已修改，请登录。",
    "That is not your current password.": "这不是您当前的密码。",
    "Your password has been changed.": "密码已修改。",
    "You have been signed out.": "您已退出登录。",
    "Photos": "照片",
    "JPEG, PNG or WebP.": "JPEG、PNG 或 WebP 格式。",
    "Photo name": "照片名称",
    "Left empty, each photo is named after its file.": "留空时，每张照片以其文件名命名。",
    "Caption": "说明",
    "Comment": "评论",
    "Link valid for": "链接有效期",
    "Uploaded from": "上传时间从",
    "Uploaded until": "上传时间至",
    "Enter a photo name or an upload time range.": "请输入照片名称或上传时间范围。",
    "Type some letters, digits or characters to search for.": "请输入要搜索的字母、数字或汉字。",
    "The end of the range is before its start.": "结束时间早于开始时间。",
    "Gallery": "相册",
    "My photos": "我的照片",
    "No such photo.": "没有这张照片。",
    "Saved.": "已保存。",
    "The photo was deleted.": "照片已删除。",
    "Your photo was uploaded.": "照片已上传。",
    "%(count)d photos were uploaded.": "已上传 %(count)d 张照片。",
    "Malformed request.": "请求格式错误。",
    "Direct upload is not available; the form will send the file.": "无法直接上传，将通过表单发送文件。",
    "No such action.": "没有这个操作。",
    "That comment change could not be understood.": "无法识别该评论修改。",
    "The comment was deleted.": "评论已删除。",
    "The comment was saved.": "评论已保存。",
    "Choose how long the link should work.": "请选择链接的有效时长。",
    "The link was revoked.": "链接已撤销。",
    "Change your password": "修改密码",
    "Change password": "修改密码",
    "Set up an authenticator app": "设置身份验证器应用",
    "Confirm your email": "确认邮箱",
    "Enter the code we emailed you.": "请输入我们通过邮件发送给您的验证码。",
    "Confirm": "确认",
    "Send the code again": "重新发送验证码",
    "Forgot your password?": "忘记密码？",
    "We will email you a code to set a new password.": "我们会通过邮件发送验证码，用于设置新密码。",
    "Send reset code": "发送重置验证码",
    "Two-step verification": "两步验证",
    "Enter the 6-digit code from your authenticator app.": "请输入身份验证器应用中的 6 位验证码。",
    "Verify": "验证",
    "Account": "账户",
    "Sign out": "退出登录",
    "Sign in": "登录",
    "Sign up": "注册",
    "Choose a new password": "设置新密码",
    "Your account needs a new password before you can continue.": "您的账户需要设置新密码才能继续。",
    "Save password": "保存密码",
    "Send": "发送",
    "Set a new password": "设置新密码",
    "Set password": "设置密码",
    "Send a new code": "发送新验证码",
    "Create an account": "创建账户",
    "Sign in with another provider": "使用其他方式登录",
    "Already have an account? Sign in": "已有账户？登录",
    "Add this key to your authenticator app, then enter the code it shows.": "将此密钥添加到身份验证器应用，然后输入它显示的验证码。",
    "Open in an authenticator app": "在身份验证器应用中打开",
    "Turn on": "启用",
    "Skip to content": "跳到正文",
    "Main": "主导航",
    "Search": "搜索",
    "My links": "我的链接",
    "Upload": "上传",
    "Admin": "管理",
    "Times shown in": "时间显示时区：",
    "Language": "语言",
    ("language switcher", "Change"): "切换",
    "Load more": "加载更多",
    "No photos match.": "没有匹配的照片。",
    "No photos yet.": "还没有照片。",
    "Sorry": "抱歉",
    "Close": "关闭",
    "View full size": "查看原图",
    "Uploaded by": "上传者",
    "Uploaded at": "上传时间",
    "Uploader IP": "上传者 IP",
    "Size": "尺寸",
    "Duplicate": "重复",
    "You uploaded the same file before.": "您之前上传过同一个文件。",
    "Sent straight to storage (with JavaScript, or POST /api/uploads), a photo may be up to %(size)s.": "直接上传到存储（使用 JavaScript，或 POST /api/uploads）时，每张照片最大 %(size)s。",
    "Sent through the site (without JavaScript, or POST /api/photos), an upload may carry at most %(size)s in all.": "经由本站上传（不使用 JavaScript，或 POST /api/photos）时，每次上传总共最多 %(size)s。",
    "This upload is too large to send through the site.": "此次上传太大，无法经由本站发送。",
    "Share": "分享",
    "Make share link": "生成分享链接",
    "Edit": "编辑",
    "Save": "保存",
    "Delete this photo": "删除这张照片",
    "Deletes the photo, its comments and its share links. This cannot be undone.": "将删除照片及其评论和分享链接，且无法撤销。",
    "edited": "已编辑",
    "Edit or delete": "编辑或删除",
    "Delete": "删除",
    "No comments yet.": "还没有评论。",
    "Later comments": "更多评论",
    "Post comment": "发表评论",
    "Sign in to comment.": "登录后即可评论。",
    "Search photos": "搜索照片",
    "Share link": "分享链接",
    "Share “%(name)s”": "分享“%(name)s”",
    "This link works for %(lifetime)s, until": "此链接有效期为 %(lifetime)s，截止到",
    "Direct link to the image file": "图片文件的直接链接",
    "Image file link": "图片文件链接",
    "This address leads straight to the image file (location data removed) for as long as the "
    "share link works: it stops when the link expires or is revoked, or when the photo is hidden "
    "or deleted. Each visit is sent on to a storage address that lasts only a few minutes.": "此地址直接指向图片文件（已去除位置信息），与分享链接同时有效："
    "链接过期或被撤销、照片被隐藏或删除时，它随即失效。每次访问都会转到一个只保持几分钟的存储地址。",
    "1 minute": "1 分钟",
    "5 minutes": "5 分钟",
    "1 hour": "1 小时",
    "1 day": "1 天",
    "7 days": "7 天",
    "Every link to your photos, including links a moderator made. Revoking one stops it at "
    "once.": "这里列出您照片的全部分享链接，包括管理员创建的链接。撤销后立即失效。",
    "Made by": "创建者",
    "a moderator": "管理员",
    "you": "您",
    "All my links": "我的全部链接",
    "Back to the photo": "返回照片",
    "Link unavailable": "链接不可用",
    "This link no longer works": "此链接已失效",
    "Ask the person who shared it for a new link.": "请向分享者索取新的链接。",
    "My share links": "我的分享链接",
    "Photo": "照片",
    "Created": "创建时间",
    "Expires": "过期时间",
    "Status": "状态",
    "Actions": "操作",
    "revoked": "已撤销",
    "expired": "已过期",
    "live": "有效",
    "Revoke": "撤销",
    "You have not shared any photo yet.": "您还没有分享过照片。",
    "Shared from %(who)s's photos.": "来自 %(who)s 的照片分享。",
    "This link works until": "此链接有效期至",
    "Waiting…": "等待中…",
    "Ready to upload": "待上传",
    "Preparing…": "准备中…",
    "Uploading…": "上传中…",
    "Checking…": "检查中…",
    "Upload refused.": "上传被拒绝。",
    "Storage refused the file.": "存储服务拒绝了该文件。",
    "The photo was not accepted.": "照片未被接受。",
    "The upload was interrupted.": "上传中断。",
    "Uploaded — view {name}": "已上传 — 查看 {name}",
    "Upload photos": "上传照片",
    "Uploaded:": "已上传：",
    "You can also drag photos onto this form.": "也可以把照片拖到这个表单上。",
    "Try part of the name, or a wider time range.": "试试名称的一部分，或放宽时间范围。",
    "Sign in to upload photos.": "登录后即可上传照片。",
    "Open one of your photos and choose “Make share link”.": "打开一张您的照片，然后选择“生成分享链接”。",
    "Photos in this list": "本列表中的照片",
    "Previous photo: {name}": "上一张：{name}",
    "Next photo: {name}": "下一张：{name}",
    "Use ← and → to move between photos.": "按 ← 和 → 键切换照片。",
    "The JSON is nested too deeply.": "JSON 嵌套层级过深。",
    "The request body is not valid JSON (numbers must be finite).": "请求正文不是有效的 JSON（数字必须是有限值）。",
    "The request body must be a JSON object.": "请求正文必须是 JSON 对象。",
    "%(field)s must be a string.": "%(field)s 必须是字符串。",
    "size must be a whole number of bytes.": "size 必须是整数字节数。",
    "size is out of range.": "size 超出范围。",
    "This page link does not point into this listing; start from the first page.": "此翻页链接不属于这个列表，请从第一页开始。",
    "This page link is invalid; start from the first page.": "此翻页链接无效，请从第一页开始。",
    "This page link belongs to another listing; start from the first page.": "此翻页链接属于另一个列表，请从第一页开始。",
    "The file is empty.": "文件是空的。",
    "Animated images are not supported. Please upload a still photo.": "不支持动图，请上传静态照片。",
    "This file is not an image. Please upload a JPEG, PNG or WebP photo.": "此文件不是图片，请上传 JPEG、PNG 或 WebP 格式的照片。",
    "%(format)s images are not supported. Please upload a JPEG, PNG or WebP photo.": "不支持 %(format)s 格式的图片，请上传 JPEG、PNG 或 WebP 格式的照片。",
    "The image has too many pixels; the limit is %(limit)s megapixels.": "图片像素过多，上限为 %(limit)s 百万像素。",
    "The image is too large (%(width)dx%(height)d pixels); the limit is %(limit)s megapixels.": "图片过大（%(width)d×%(height)d 像素），上限为 %(limit)s 百万像素。",
    "The image is too large to process (%(width)dx%(height)d pixels as %(format)s, which would "
    "need more than %(memory)s of memory). Please upload a smaller picture or a JPEG.": "图片过大，无法处理（%(format)s 格式、%(width)d×%(height)d 像素，需要超过 %(memory)s 内存）。请上传更小的图片或 JPEG 格式的图片。",
    "The image file is incomplete (the upload may have been cut off). Please try again.": "图片文件不完整（上传可能被中断），请重试。",
    "The image file is damaged and cannot be read.": "图片文件已损坏，无法读取。",
    "The image has too many pixels to be processed.": "图片像素过多，无法处理。",
    "Only the photo's owner or a moderator can change it.": "只有照片的主人或管理员可以修改它。",
    "Only the comment's author or a moderator can change it.": "只有评论的作者或管理员可以修改它。",
    "Only the link's owner or a moderator can revoke it.": "只有链接的创建者或管理员可以撤销它。",
    "No such comment.": "没有这条评论。",
    "Write something first.": "请先写点内容。",
    "The comment is too long (at most %(limit)d characters).": "评论太长（最多 %(limit)d 个字符）。",
    "Remove the control characters from the text.": "请删除文本中的控制字符。",
    "You are doing that too often; try again in %(seconds)d seconds.": "操作过于频繁，请在 %(seconds)d 秒后重试。",
    "Your photos use all of your %(quota)s of storage; delete some to upload more.": "您的照片已用完全部 %(quota)s 存储空间，请删除一些后再上传。",
    "This photo was changed meanwhile (by someone else?); reload the page and try again.": "这张照片刚刚被修改过（可能是其他人），请刷新页面后重试。",
    "This comment was changed meanwhile; reload the page and try again.": "这条评论刚刚被修改过，请刷新页面后重试。",
    "Give the photo a name.": "请为照片命名。",
    "The name is too long (at most %(limit)d characters).": "名称太长（最多 %(limit)d 个字符）。",
    "The caption is too long (at most %(limit)d characters).": "说明太长（最多 %(limit)d 个字符）。",
    "This photo was changed meanwhile; reload the page and try again.": "这张照片刚刚被修改过，请刷新页面后重试。",
    "No such upload; it may have expired. Please upload again.": "没有这个上传，可能已过期，请重新上传。",
    "This upload is being completed; try again in a moment.": "此上传正在完成中，请稍后再试。",
    "This upload expired before it was completed. Please upload again.": "此上传在完成前已过期，请重新上传。",
    "The file has not arrived in storage yet.": "文件尚未到达存储服务。",
    "photosite administration": "photosite 管理后台",
    "photosite admin": "photosite 管理",
    "an uppercase letter": "大写字母",
    "a lowercase letter": "小写字母",
    "a digit": "数字",
    "a symbol": "符号",
    ("list separator", ", "): "、",
    ("list separator before the last item", " and "): "和",
    "At least %(length)d characters.": "至少 %(length)d 个字符。",
    "At least %(length)d characters, including %(needs)s.": "至少 %(length)d 个字符，包含%(needs)s。",
    "That password is too short.": "该密码太短。",
    "That password needs %(need)s.": "该密码需要包含%(need)s。",
    "%(reason)s %(rules)s": "%(reason)s%(rules)s",
    "That photo is already gone.": "这张照片已经不在了。",
    "That comment is already gone.": "这条评论已经不在了。",
    "Delete this comment?": "删除这条评论？",
    "On “%(name)s”": "评论于“%(name)s”",
    "This cannot be undone.": "此操作无法撤销。",
    "Cancel": "取消",
    "Delete the comment": "删除评论",
    "Delete this photo?": "删除这张照片？",
    "Delete “%(name)s”?": "删除“%(name)s”？",
    "Delete the photo": "删除照片",
    "Hidden by a moderator": "已被管理员隐藏",
    "Only you and the moderators can see this photo; it is out of the gallery, search and "
    "share links. You can still delete it.": "只有您和管理员能看到这张照片；它已不在相册、搜索和分享链接中。您仍可以删除它。",
    "Delete this photo…": "删除这张照片…",
    "Delete…": "删除…",
    "These photos are out of the gallery, search and share links; only you and the "
    "moderators see them. Open one to delete it.": "这些照片已不在相册、搜索和分享链接中，只有您和管理员能看到。打开照片即可删除。",
}
PLURALS = {"%(n)s comment": ["%(n)s 条评论"]}

# The trash and the hidden photo's reason (gallery.services.trash, gallery.hide_reasons).
ZH.update(
    {
        "Spam or advertising": "垃圾信息或广告",
        "Sexual content": "色情内容",
        "Violence or gore": "暴力或血腥内容",
        "Harassment or hate": "骚扰或仇恨言论",
        "Someone else's copyright": "侵犯他人版权",
        "Someone's private information": "泄露他人隐私",
        "Other (see the note)": "其他（见备注）",
        "Choose why the photo is hidden from the list of reasons.": "请从原因列表中选择隐藏这张照片的原因。",
        "The note is too long (at most %(limit)d characters).": "备注太长（最多 %(limit)d 个字符）。",
        "Only the photo's owner can use its trash.": "只有照片的主人可以使用它的回收站。",
        "This photo is no longer in the trash: it was deleted for good.": "这张照片已不在回收站中：它已被永久删除。",
        "Only a photo in the trash can be deleted for good.": "只有回收站中的照片才能被永久删除。",
        "Only moderators can hide or unhide photos.": "只有管理员可以隐藏或取消隐藏照片。",
        "This photo is not in the trash.": "这张照片不在回收站中。",
        "“%(name)s” is back in your photos.": "“%(name)s”已回到您的照片中。",
        "The photo was deleted for good.": "照片已被永久删除。",
        "Your trash is empty.": "回收站是空的。",
        "More photos remain in the trash; empty it again to delete them.": "回收站中还有照片；再清空一次即可删除它们。",
        "The photo was moved to the trash; you can restore it for %(days)d days.": "照片已移到回收站；%(days)d 天内可以恢复。",
        "Reason: <strong>%(reason)s</strong>": "原因：<strong>%(reason)s</strong>",
        "Move to trash": "移到回收站",
        "Trash": "回收站",
        "Back to my photos": "返回我的照片",
        "Empty trash…": "清空回收站…",
        "Deleted for good on %(when)s": "将于 %(when)s 永久删除",
        "Restore": "恢复",
        "Delete forever…": "永久删除…",
        "Delete this photo for good?": "永久删除这张照片？",
        "Delete “%(name)s” for good?": "永久删除“%(name)s”？",
        "Deletes the photo, its comments and its share links now. This cannot be undone.": "立即删除这张照片及其评论和分享链接。此操作无法撤销。",
        "Delete forever": "永久删除",
        "Empty the trash?": "清空回收站？",
        "Empty trash": "清空回收站",
        "Reason for hiding:": "隐藏原因：",
        "Note to the owner (optional):": "给照片主人的备注（可选）：",
    }
)
PLURALS.update(
    {
        "%(count)d photo was deleted for good.": ["%(count)d 张照片已被永久删除。"],
        "Moves the photo to your trash: it leaves the gallery, search and share links at once. You can restore it for %(days)s day; then it is deleted for good with its comments.": [
            "照片将移到您的回收站：它会立即从图库、搜索和分享链接中消失。%(days)s 天内可以恢复；之后它会连同评论被永久删除。"
        ],
        "Deleted photos stay here for %(days)s day, out of the gallery, search and share links; restore one to put it back as it was. After that it is deleted for good.": [
            "删除的照片会在这里保留 %(days)s 天，不出现在图库、搜索和分享链接中；恢复即可原样放回。之后会被永久删除。"
        ],
        "Deletes these %(n)s photo and more, with their comments and share links, for good. This cannot be undone.": [
            "永久删除这 %(n)s 张及更多照片，连同它们的评论和分享链接。此操作无法撤销。"
        ],
        "Deletes this %(n)s photo, with its comments and share links, for good. This cannot be undone.": [
            "永久删除这 %(n)s 张照片，连同它们的评论和分享链接。此操作无法撤销。"
        ],
    }
)


def _unquote(lines: list[str]) -> str:
    return (
        "".join(
            re.match(r'^(?:msgctxt |msgid(?:_plural)? |msgstr(?:\[\d\])? )?"(.*)"$', line).group(1)
            for line in lines
        )
        .replace('\\"', '"')
        .replace("\\n", "\n")
    )


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def django_translations() -> dict[str, str]:
    """Return Django's own Simplified Chinese translations of the apps the site uses."""
    import django

    root = Path(django.__file__).parent
    found: dict[str, str] = {}
    for catalogue in DJANGO_CATALOGUES:
        path = root / catalogue / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
        with path.open("rb") as mo:
            for key, value in gettext.GNUTranslations(mo)._catalog.items():
                if isinstance(key, str) and key and "\x04" not in key:
                    found.setdefault(key, value)
    return found


def main() -> int:
    blocks = PO.read_text(encoding="utf-8").split("\n\n")
    django_zh = django_translations()
    missing = []
    out = [
        blocks[0]
        .replace("Language: \\n", "Language: zh_Hans\\n")
        .replace(
            '"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"',
            '"Plural-Forms: nplurals=1; plural=0;\\n"',
        )
        .replace("#, fuzzy\n", "")
        .replace("PACKAGE VERSION", "photosite")
        .replace("YEAR-MO-DA HO:MI+ZONE", "2026-11-21 14:00+0000")
        .replace("FULL NAME <EMAIL@ADDRESS>", "photosite team")
        .replace("LANGUAGE <LL@li.org>", "Simplified Chinese")
    ]
    for block in blocks[1:]:
        lines = block.splitlines()
        # A translation from the table replaces whatever msgmerge guessed ("fuzzy").
        comments = [
            line.replace(", fuzzy", "")
            for line in lines
            if line.startswith("#") and not line.startswith("#|") and line != "#, fuzzy"
        ]
        body = [line for line in lines if not line.startswith("#")]
        context_lines, ids = [], []
        for line in body:
            if line.startswith("msgid_plural") or line.startswith("msgstr"):
                break
            if line.startswith("msgctxt") or (context_lines and not ids and line.startswith('"')):
                context_lines.append(line)
            else:
                ids.append(line)
        msgid = _unquote(ids)
        key = (_unquote(context_lines), msgid) if context_lines else msgid
        ids = context_lines + ids
        translation = ZH.get(key) or (django_zh.get(msgid) if not context_lines else None)
        if "msgid_plural" in block:
            if msgid not in PLURALS:
                missing.append(msgid)
                out.append(block)
                continue
            # msgid_plural and the lines that continue it (a long one is wrapped).
            start = next(i for i, line in enumerate(body) if line.startswith("msgid_plural"))
            plural = [body[start]]
            for line in body[start + 1 :]:
                if not line.startswith('"'):
                    break
                plural.append(line)
            strs = [f"msgstr[{i}] {_quote(s)}" for i, s in enumerate(PLURALS[msgid])]
            out.append("\n".join(comments + ids + plural + strs))
        elif translation:
            out.append("\n".join(comments + ids + [f"msgstr {_quote(translation)}"]))
        else:
            missing.append(key)
            out.append(block)
    PO.write_text("\n\n".join(out), encoding="utf-8")
    for msgid in missing:
        print(f"untranslated: {msgid!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
