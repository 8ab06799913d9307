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
    # --- the admin (moderation pages, dashboard, audit trail) ---
    "Hide selected photos": "隐藏所选照片",
    "Unhide selected photos": "取消隐藏所选照片",
    "Delete selected photos": "删除所选照片",
    "Hide selected comments": "隐藏所选评论",
    "Unhide selected comments": "取消隐藏所选评论",
    "Delete selected comments": "删除所选评论",
    ("photo status", "Visible"): "可见",
    ("photo status", "Hidden"): "已隐藏",
    ("photo status", "visible"): "可见",
    ("photo status", "hidden"): "已隐藏",
    ("comment status", "visible"): "可见",
    ("comment status", "hidden"): "已隐藏",
    "Select photos first; nothing was changed.": "请先选择照片；未做任何修改。",
    "Select comments first; nothing was changed.": "请先选择评论；未做任何修改。",
    "Choose an action.": "请选择一个操作。",
    "%(name)s: %(message)s": "%(name)s：%(message)s",
    "No photo with id “%(id)s”; it may have been deleted.": "没有 ID 为“%(id)s”的照片，它可能已被删除。",
    "Photo “%(name)s”": "照片“%(name)s”",
    "The photo is hidden.": "照片已隐藏。",
    "The photo is visible again.": "照片已恢复可见。",
    "Those photos no longer exist.": "这些照片已不存在。",
    "%(author)s: “%(body)s” (%(when)s UTC)": "%(author)s：“%(body)s”（%(when)s UTC）",
    "Active share links": "有效的分享链接",
    "Cognito refused the listing (%(code)s).": "Cognito 拒绝了列表请求（%(code)s）。",
    "Cognito users": "Cognito 用户",
    "No such user, or Cognito refused (%(code)s).": "没有这个用户，或 Cognito 拒绝了请求（%(code)s）。",
    "User %(name)s": "用户 %(name)s",
    "You cannot disable or enable yourself here.": "不能在这里停用或启用您自己。",
    "The user is disabled and signed out everywhere.": "该用户已停用，并已在所有设备上退出登录。",
    "The user is enabled.": "该用户已启用。",
    "The user’s groups were changed.": "该用户的用户组已修改。",
    "Cognito refused: %(message)s (%(code)s)": "Cognito 拒绝了请求：%(message)s（%(code)s）",
    "Cognito refused the invitation: %(message)s (%(code)s)": "Cognito 拒绝了邀请：%(message)s（%(code)s）",
    "Invited %(email)s; Cognito emails them a temporary password.": "已邀请 %(email)s，Cognito 会通过邮件向其发送临时密码。",
    "Invite a user": "邀请用户",
    "Choose the object’s type to see its history.": "请选择对象类型以查看其历史。",
    "Audit trail": "审计记录",
    "No such audit event.": "没有这条审计记录。",
    "When (UTC)": "时间（UTC）",
    "Who": "操作者",
    "Actor (Cognito sub)": "操作者（Cognito sub）",
    "Object type": "对象类型",
    "Object id": "对象 ID",
    "Object": "对象",
    "Detail": "详情",
    "Audit event: %(action)s": "审计记录：%(action)s",
    "Moderation": "内容管理",
    ("audit action", "hide"): "隐藏",
    ("audit action", "unhide"): "取消隐藏",
    ("audit action", "delete"): "删除",
    ("audit action", "edit"): "编辑",
    ("audit action", "revoke"): "撤销",
    ("audit action", "share"): "分享",
    ("audit action", "disable"): "停用",
    ("audit action", "enable"): "启用",
    ("audit action", "group add"): "加入用户组",
    ("audit action", "group remove"): "移出用户组",
    ("audit action", "invite"): "邀请",
    ("audit object", "photo"): "照片",
    ("audit object", "comment"): "评论",
    ("audit object", "share link"): "分享链接",
    ("audit object", "user"): "用户",
    "photo": "照片",
    "photos": "照片",
    "comment": "评论",
    "comments": "评论",
    "share link": "分享链接",
    "share links": "分享链接",
    "Cognito user": "Cognito 用户",
    "moderation event": "审计记录",
    "moderation events": "审计记录",
    "The activity panel is unavailable right now.": "活动面板暂时不可用。",
    "Uploads": "上传",
    "Comments": "评论",
    "The audit trail is unavailable right now.": "审计记录暂时不可用。",
    "Select": "选择",
    "Hidden photos:": "隐藏的照片：",
    "Hidden comments:": "隐藏的评论：",
    "%(title)s: %(total)s in total, at most %(peak)s a day": "%(title)s：共 %(total)s，单日最多 %(peak)s",
    "%(title)s per day": "每日%(title)s",
    "No moderation actions yet.": "还没有管理操作。",
    "This object’s history": "该对象的历史",
    "any": "全部",
    "From": "从",
    "To": "至",
    "No moderation actions match.": "没有匹配的管理操作。",
    "First page": "第一页",
    "Older events": "更早的记录",
    'Comments of <a href="%(url)s">photo %(id)s</a>, newest first, hidden ones included.': '<a href="%(url)s">照片 %(id)s</a> 的评论，最新的在前，包括已隐藏的评论。',
    "Written (UTC)": "发表时间（UTC）",
    "Author": "作者",
    "Select comment": "选择评论",
    "(deleted photo)": "（已删除的照片）",
    "No comments.": "没有评论。",
    "Next page": "下一页",
    "Show": "显示",
    "All, newest first": "全部，最新的在前",
    "Hidden only": "仅已隐藏",
    "By photo": "按照片",
    "Photo id": "照片 ID",
    "Are you sure you want to delete the selected photos? This cannot be undone: the files, comments and share links go too.": "确定要删除所选照片吗？此操作无法撤销：文件、评论和分享链接也会一并删除。",
    "Are you sure you want to delete the selected comments? This cannot be undone.": "确定要删除所选评论吗？此操作无法撤销。",
    "Recent moderation": "最近的管理操作",
    "None yet.": "暂无。",
    "The whole audit trail": "全部审计记录",
    "Hide": "隐藏",
    "Unhide": "取消隐藏",
    "Status:": "状态：",
    "Recorded fields (times in UTC)": "记录的字段（时间为 UTC）",
    "Latest comments": "最新评论",
    "All comments of this photo, to moderate": "管理这张照片的全部评论",
    "[hidden]": "［已隐藏］",
    "Share links": "分享链接",
    "Manage them": "管理",
    "Name": "名称",
    "Name search covers visible photos (hidden ones leave the search index).": "名称搜索只涵盖可见的照片（隐藏的照片会移出搜索索引）。",
    "Preview": "预览",
    "Uploader": "上传者",
    "Uploaded (UTC)": "上传时间（UTC）",
    "Select %(name)s": "选择 %(name)s",
    "No photos.": "没有照片。",
    "By status": "按状态",
    "All (this uploader)": "全部（该上传者）",
    "By uploader": "按上传者",
    "Cognito sub": "Cognito sub",
    "Uploader (Cognito sub)": "上传者（Cognito sub）",
    "or owner (Cognito sub)": "或所有者（Cognito sub）",
    "Show active links": "显示有效链接",
    "Revoke selected links": "撤销所选链接",
    "Owner": "所有者",
    "Created (UTC)": "创建时间（UTC）",
    "Expires (UTC)": "过期时间（UTC）",
    "Select link": "选择链接",
    "No active links.": "没有有效的链接。",
    "Give a photo id or a user’s Cognito sub.": "请输入照片 ID 或用户的 Cognito sub。",
    "Enabled:": "已启用：",
    "yes": "是",
    "no": "否",
    "Groups:": "用户组：",
    "none": "无",
    "Disable and sign out everywhere": "停用并在所有设备上退出登录",
    "Enable": "启用",
    "Groups": "用户组",
    "Remove from %(group)s": "移出 %(group)s",
    "Add to %(group)s": "加入 %(group)s",
    "Attributes": "属性",
    "Username": "用户名",
    "Last modified (UTC)": "最后修改时间（UTC）",
    "Invite": "邀请",
    "Cognito emails a temporary password (text from the custom message trigger). The user joins <code>members</code>.": "Cognito 会通过邮件发送临时密码（文字来自自定义消息触发器）。该用户将加入 <code>members</code> 用户组。",
    "Send invitation": "发送邀请",
    "Starts with…": "开头为…",
    "Attribute": "属性",
    ("Cognito attribute", "email"): "邮箱",
    ("Cognito attribute", "name"): "名称",
    ("Cognito attribute", "sub"): "sub",
    ("Cognito attribute", "username"): "用户名",
    "No users.": "没有用户。",
    "That is not an email address.": "这不是有效的邮箱地址。",
    # the upload page: retry one failed file
    "Retry": "重试",
    "Retry {name}": "重试 {name}",
    # Django's admin words its own catalogue lacks (moderation/admin_words.py)
    "Model name": "模型名称",
    "Add link": "添加链接",
    "Change or view list link": "修改或查看列表链接",
    # --- albums (gallery/album_views.py, gallery/services/albums.py, templates/gallery/album_*) ---
    "Album title": "相册标题",
    "Description": "描述",
    "No such album.": "没有这个相册。",
    "The album was made. Add photos from their pages or from My photos.": "相册已创建。可以在照片页面或“我的照片”中添加照片。",
    "That album is already gone.": "该相册已经不存在了。",
    "The album was deleted; its photos were not.": "相册已删除，其中的照片仍然保留。",
    "The photo was taken out of “%(title)s”.": "已将照片移出“%(title)s”。",
    "The cover was changed.": "封面已更换。",
    "Choose at least one photo.": "请至少选择一张照片。",
    "Add at most %(limit)d photos at a time.": "一次最多添加 %(limit)d 张照片。",
    "That photo is not in this album.": "该照片不在此相册中。",
    "Only your own photos can go in your albums.": "只能把您自己的照片加入您的相册。",
    "Give the album a title.": "请给相册起个标题。",
    "The title is too long (at most %(limit)d characters).": "标题太长（最多 %(limit)d 个字符）。",
    "The description is too long (at most %(limit)d characters).": "描述太长（最多 %(limit)d 个字符）。",
    "Sign in to keep albums.": "请登录后使用相册。",
    "The request token must be 8 to 64 letters, digits, - or _.": "请求令牌须为 8 到 64 个字母、数字、- 或 _。",
    "This album was changed meanwhile; reload the page and try again.": "此相册已被修改，请刷新页面后重试。",
    "This album is full (at most %(limit)d photos).": "此相册已满（最多 %(limit)d 张照片）。",
    "Say which other photo of the album this one goes after or before.": "请指明这张照片要放在相册中哪张照片之前或之后。",
    "The album's order changed meanwhile; try again.": "相册的顺序已被修改，请重试。",
    "This album's order cannot take that move; move another photo first.": "相册的顺序无法这样移动，请先移动另一张照片。",
    "My albums": "我的相册",
    "Add to album": "加入相册",
    "Add to album…": "加入相册…",
    "Your albums": "您的相册",
    "Add to “%(title)s”": "加入“%(title)s”",
    "Older albums are on My albums.": "更早的相册在“我的相册”中。",
    "A new album": "新相册",
    "New album": "新建相册",
    "Make album": "创建相册",
    "Make album and add": "创建相册并加入",
    "Delete this album?": "删除此相册？",
    "Delete “%(title)s”?": "删除“%(title)s”？",
    "Deletes the album and its order. Its photos stay in My photos.": "将删除相册及其排序。其中的照片仍保留在“我的照片”中。",
    "Delete the album": "删除相册",
    "Delete this album…": "删除此相册…",
    "Move photos with the buttons under each one; the first photo added is the cover until you pick another.": "用每张照片下方的按钮调整顺序；在您另选封面之前，第一张加入的照片就是封面。",
    "Cover": "封面",
    "Move “%(name)s” earlier": "将“%(name)s”前移",
    "Earlier": "前移",
    "Move “%(name)s” later": "将“%(name)s”后移",
    "Later": "后移",
    "Make “%(name)s” the cover": "将“%(name)s”设为封面",
    "Make cover": "设为封面",
    "Take “%(name)s” out of the album": "将“%(name)s”移出相册",
    "This album has no photos yet.": "此相册还没有照片。",
    "Open one of your photos and choose “Add to album”, or select photos in My photos.": "打开您的一张照片并选择“加入相册”，或在“我的照片”中选择照片。",
    "No albums yet.": "还没有相册。",
    "Make one below, then add photos from their pages or from My photos.": "在下方创建一个相册，然后在照片页面或“我的照片”中添加照片。",
    "Albums": "相册",
    # What the camera knew (issue 14, camera branch): EXIF facts, date-taken order, originals.
    "Taken": "拍摄时间",
    "Camera": "相机",
    "Lens": "镜头",
    "Exposure": "曝光",
    "%(time)s (time zone unknown)": "%(time)s（时区未知）",
    "%(value)s s": "%(value)s 秒",
    "ISO %(value)s": "ISO %(value)s",
    "%(value)s mm": "%(value)s 毫米",
    "Order": "排序",
    "Order by": "排序方式",
    "Upload time": "上传时间",
    "Date taken": "拍摄日期",
    "Name or caption": "名称或说明",
    "Taken from": "拍摄日期起",
    "Taken until": "拍摄日期止",
    "Enter a name, a caption word or a time range.": "请输入名称、说明中的词或时间范围。",
    # Visibility per photo (gallery/services/visibility.py, gallery/visibility_views.py)
    "Public: in the gallery and search": "公开：显示在相册和搜索中",
    "Unlisted: only with its address or a share link": "不公开列出：仅凭网址或分享链接可见",
    "Private: only you": "私密：仅自己可见",
    "Public": "公开",
    "Unlisted": "不公开列出",
    "Private": "私密",
    "Choose public, unlisted or private.": "请选择公开、不公开列出或私密。",
    "Only the photo's owner can change who may see it.": "只有照片的主人才能更改谁可以看到它。",
    "This photo is private: make it unlisted or public before sharing a link to it.": "这张照片是私密的：请先将其设为不公开列出或公开，再分享链接。",
    "Who can see them": "谁可以看到",
    "Your default is set in Settings.": "默认值可在“设置”中更改。",
    "Who can see this photo": "谁可以看到这张照片",
    "Visibility saved: %(visibility)s.": "可见性已保存：%(visibility)s。",
    "Settings saved.": "设置已保存。",
    "New photos are": "新照片默认为",
    "Settings": "设置",
    "Who can see new photos": "谁可以看到新照片",
    "Each upload starts with this choice; you can change it on the upload page and on each "
    "photo later.": "每次上传都以此为默认选择；您可以在上传页面更改，之后也可以在每张照片上更改。",
    "Visibility": "可见性",
    "Private photos cannot be shared; make this one unlisted to share a link to it.": "私密照片不能分享；将其设为不公开列出即可分享链接。",
    "Save visibility": "保存可见性",
    # Bulk actions of "My photos" (gallery/bulk_views.py, gallery/services/bulk.py)
    "Select “%(name)s”": "选择“%(name)s”",
    "{n} selected": "已选择 {n} 张",
    "No photo selected": "未选择照片",
    "Select all on this page": "全选本页",
    "Tick photos to change or delete several at once.": "勾选照片即可一次更改或删除多张。",
    "Change visibility": "更改可见性",
    "Delete photos": "删除照片",
    "Deletes the photos, their comments and their share links. This cannot be undone.": "将删除这些照片及其评论和分享链接。此操作无法撤销。",
    "“%(name)s” was not changed: %(reason)s": "“%(name)s”未更改：%(reason)s",
    "Those photos are already gone.": "这些照片已不存在。",
    "That bulk action could not be understood.": "无法理解该批量操作。",
    "You can only act on your own photos; nothing was changed. Reload the page and try again.": "您只能操作自己的照片；未做任何更改。请重新加载页面后重试。",
    "This photo could not be changed just now; try again.": "这张照片暂时无法更改，请重试。",
    "That selection could not be understood.": "无法理解所选内容。",
    "Select at least one photo.": "请至少选择一张照片。",
    "Select at most %(limit)d photos at once.": "一次最多选择 %(limit)d 张照片。",
}
PLURALS = {
    "%(n)s comment": ["%(n)s 条评论"],
    # the admin
    "Hid %(count)d photo.": ["已隐藏 %(count)d 张照片。"],
    "Unhid %(count)d photo.": ["已取消隐藏 %(count)d 张照片。"],
    "Deleted %(count)d photo.": ["已删除 %(count)d 张照片。"],
    "%(name)s — %(owner)s (%(when)s UTC), %(count)d comment": [
        "%(name)s — %(owner)s（%(when)s UTC），%(count)d 条评论"
    ],
    "Hid %(count)d comment.": ["已隐藏 %(count)d 条评论。"],
    "Unhid %(count)d comment.": ["已取消隐藏 %(count)d 条评论。"],
    "Deleted %(count)d comment.": ["已删除 %(count)d 条评论。"],
    "Revoked %(count)d link.": ["已撤销 %(count)d 个链接。"],
    "Activity, last %(days)s day (UTC)": ["最近 %(days)s 天的活动（UTC）"],
    "%(counter)s comment on this page.": ["本页 %(counter)s 条评论。"],
    "%(counter)s active.": ["%(counter)s 个有效。"],
    "%(counter)s photo on this page.": ["本页 %(counter)s 张照片。"],
    # albums
    "%(n)s photo": ["%(n)s 张照片"],
    "Add %(n)s photo to an album": ["将 %(n)s 张照片加入相册"],
    "%(n)s photo left out: not yours, or gone.": ["已略过 %(n)s 张照片：不是您的，或已不存在。"],
    "Added %(count)d photo to “%(title)s”.": ["已将 %(count)d 张照片加入“%(title)s”。"],
    "%(count)d photo was in the album already.": ["%(count)d 张照片已在相册中。"],
    # Bulk actions of "My photos"
    "Delete %(n)s photo?": ["删除 %(n)s 张照片？"],
    "Delete %(n)s photo": ["删除 %(n)s 张照片"],
    "%(count)d photo was already gone.": ["%(count)d 张照片已不存在。"],
    "%(count)d photo was deleted.": ["已删除 %(count)d 张照片。"],
    "%(count)d photo is now %(visibility)s.": ["%(count)d 张照片现为%(visibility)s。"],
}


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
            plural = [line for line in body if line.startswith("msgid_plural")]
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
