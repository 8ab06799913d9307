"""Local demo data: two Cognito accounts and a few generated photos.

Only for the local emulator: `demo_refusal()` says why it must not run anywhere else.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from botocore.exceptions import ClientError
from django.conf import settings
from PIL import Image, ImageDraw

from core import aws
from gallery import selectors, services

DEMO_PHOTOS = [
    ("海边日落", "夕阳落在海面上。", ((255, 140, 60), (60, 40, 120))),
    ("Sunset at the beach", "Golden hour by the sea.", ((250, 190, 90), (30, 60, 140))),
    ("山间小路", "秋天的山路。", ((90, 150, 80), (200, 180, 120))),
    ("City lights", "Night over the river.", ((20, 20, 60), (230, 200, 80))),
    ("Café au lait", "Morning coffee.", ((120, 80, 50), (240, 225, 200))),
    ("秋天的红叶", "", ((190, 50, 30), (250, 200, 80))),
]


@dataclass(frozen=True)
class DemoUser:
    """A demo account's credentials and Cognito identity."""

    email: str
    password: str
    display_name: str
    groups: tuple[str, ...]
    sub: str = ""


def demo_refusal() -> str | None:
    """Return why demo data may not be created here, or None when it may."""
    if not settings.PHOTOSITE_LOCAL_MODE:
        return "demo data exists only in local mode (DJANGO_DEBUG on)"
    if not aws.settings().is_local:
        return "demo data is only created in the local emulator (AWS_ENDPOINT_URL on loopback)"
    if not settings.PHOTOSITE_DEMO_USERS:
        return "PHOTOSITE_DEMO_USERS is off"
    return None


def demo_users() -> list[DemoUser]:
    """Return the configured demo accounts."""
    return [
        DemoUser(
            settings.PHOTOSITE_DEMO_ADMIN_EMAIL,
            settings.PHOTOSITE_DEMO_ADMIN_PASSWORD,
            "Admin",
            ("admins", "members"),
        ),
        DemoUser(
            settings.PHOTOSITE_DEMO_USER_EMAIL,
            settings.PHOTOSITE_DEMO_USER_PASSWORD,
            "Demo 用户",
            ("members",),
        ),
    ]


def demo_user_ensure(pool_id: str, user: DemoUser) -> DemoUser:
    """Create a confirmed user with a permanent password and its groups; return it with sub."""
    idp = aws.client("cognito-idp")
    try:
        found = idp.admin_get_user(UserPoolId=pool_id, Username=user.email)
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "UserNotFoundException":
            raise
        idp.admin_create_user(
            UserPoolId=pool_id,
            Username=user.email,
            MessageAction="SUPPRESS",
            UserAttributes=[
                {"Name": "email", "Value": user.email},
                {"Name": "email_verified", "Value": "true"},
                {"Name": "name", "Value": user.display_name},
            ],
        )
        found = idp.admin_get_user(UserPoolId=pool_id, Username=user.email)
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=user.email, Password=user.password, Permanent=True
    )
    for group in user.groups:
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username=user.email, GroupName=group)
    attributes = {a["Name"]: a["Value"] for a in found["UserAttributes"]}
    return DemoUser(user.email, user.password, user.display_name, user.groups, attributes["sub"])


def demo_image(colors: tuple[tuple[int, int, int], tuple[int, int, int]], seed: int) -> bytes:
    """Draw a gradient landscape with a sun and hills, as JPEG bytes."""
    width, height = 1200, 800
    top, bottom = colors
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(top[i] * (1 - t) + bottom[i] * t) for i in range(3)),
        )
    rng = random.Random(seed)  # noqa: S311 (decoration, not security)
    cx, cy, r = rng.randint(150, 1050), rng.randint(120, 380), rng.randint(50, 110)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(255, 235, 170))
    for layer in range(3):
        base = 520 + layer * 90
        points = [(0, height)]
        for x in range(0, width + 100, 100):
            points.append((x, base - rng.randint(0, 140)))
        points.append((width, height))
        shade = 40 + layer * 30
        draw.polygon(points, fill=(shade, shade + 20, shade + 10))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def demo_photos_ensure(owner: DemoUser) -> int:
    """Create the demo photos unless the gallery already has photos; return how many made."""
    if selectors.photo_list_feed(limit=1).items:
        return 0
    for seed, (name, caption, colors) in enumerate(DEMO_PHOTOS):
        services.photo_create(
            owner_sub=owner.sub,
            owner_name=owner.display_name,
            name=name,
            caption=caption,
            data=demo_image(colors, seed),
            uploader_ip="127.0.0.1",
        )
    return len(DEMO_PHOTOS)
