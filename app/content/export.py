"""Everything installed, as plain data (for `python -m app export --json`)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlmodel import Session, select

from app.content.countries import country_name
from app.content.models import (
    Article,
    ArticleCountry,
    ArticleLink,
    ArticleText,
    Contact,
    ContactText,
    Country,
    InstalledBundle,
    Language,
    Notice,
    NoticeCountry,
    NoticeText,
    Topic,
    TopicText,
)


def _plain(row, *exclude: str) -> dict[str, Any]:
    return row.model_dump(mode="json", exclude=set(exclude))


def _grouped(rows, key: str, *exclude: str) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, key)].append(_plain(row, key, *exclude))
    return groups


def export_installed(session: Session) -> dict[str, Any]:
    bundle = session.exec(select(InstalledBundle)).first()
    topic_texts = _grouped(session.exec(select(TopicText)).all(), "topic_id")
    article_texts = _grouped(session.exec(select(ArticleText)).all(), "article_id")
    article_countries = _grouped(session.exec(select(ArticleCountry)).all(), "article_id")
    links = _grouped(session.exec(select(ArticleLink).order_by(ArticleLink.position)).all(), "article_id", "position")
    contact_texts = _grouped(session.exec(select(ContactText)).all(), "contact_id")
    notice_texts = _grouped(session.exec(select(NoticeText)).all(), "notice_id")
    notice_countries = _grouped(session.exec(select(NoticeCountry)).all(), "notice_id")
    return {
        "bundle": _plain(bundle, "id") if bundle else None,
        "languages": [row.code for row in session.exec(select(Language)).all()],
        "countries": [
            {"code": c.code, "name": country_name(c.code, "en"), "roles": c.roles.split(",")}
            for c in session.exec(select(Country)).all()
        ],
        "topics": [
            {**_plain(t), "texts": topic_texts.get(t.id, [])} for t in session.exec(select(Topic)).all()
        ],
        "articles": [
            {
                **_plain(a),
                "contact_kinds": [k for k in a.contact_kinds.split(",") if k],
                "countries": [c["country"] for c in article_countries.get(a.id, [])],
                "related": [link["related_id"] for link in links.get(a.id, [])],
                "texts": article_texts.get(a.id, []),
            }
            for a in session.exec(select(Article)).all()
        ],
        "contacts": [
            {**_plain(c), "texts": contact_texts.get(c.id, [])} for c in session.exec(select(Contact)).all()
        ],
        "notices": [
            {
                **_plain(n),
                "countries": [c["country"] for c in notice_countries.get(n.id, [])],
                "texts": notice_texts.get(n.id, []),
            }
            for n in session.exec(select(Notice)).all()
        ],
    }
