"""Read installed content in one language, with English as the fallback."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from app.content.dto import ArticleDetail, ArticleSummary, ContactCard, InstalledContent, TopicCard
from app.content.models import (
    Article,
    ArticleCountry,
    ArticleLink,
    ArticleText,
    Contact,
    ContactKind,
    ContactText,
    InstalledBundle,
    Stage,
    Topic,
    TopicText,
)
from app.content.source import SOURCE_LANGUAGE

STAGE_ORDER = {stage: position for position, stage in enumerate(Stage)}
CONTACT_KIND_ORDER = {kind: position for position, kind in enumerate(ContactKind)}


def _in_language(rows: list, lang: str, key) -> dict:
    """Pick, per key, the row in `lang` if there is one, else the English row."""
    chosen: dict = {}
    for row in rows:
        if row.lang == lang or key(row) not in chosen:
            chosen[key(row)] = row
    return chosen


def list_topics(session: Session, *, lang: str) -> list[TopicCard]:
    topics = session.exec(select(Topic)).all()
    texts = _in_language(
        session.exec(select(TopicText).where(TopicText.lang.in_([lang, SOURCE_LANGUAGE]))).all(),
        lang,
        lambda row: row.topic_id,
    )
    counts = dict(session.exec(select(Article.topic_id, func.count()).group_by(Article.topic_id)).all())
    topics = sorted(topics, key=lambda t: (STAGE_ORDER[t.stage], t.order, t.id))
    return [
        TopicCard(
            id=t.id,
            stage=t.stage.value,
            icon=t.icon,
            title=texts[t.id].title,
            summary=texts[t.id].summary,
            article_count=counts.get(t.id, 0),
        )
        for t in topics
        if t.id in texts
    ]


def _summaries(session: Session, article_ids: list[str], lang: str) -> list[ArticleSummary]:
    if not article_ids:
        return []
    articles = {a.id: a for a in session.exec(select(Article).where(Article.id.in_(article_ids))).all()}
    texts = _in_language(
        session.exec(
            select(ArticleText).where(
                ArticleText.article_id.in_(article_ids), ArticleText.lang.in_([lang, SOURCE_LANGUAGE])
            )
        ).all(),
        lang,
        lambda row: row.article_id,
    )
    return [
        ArticleSummary(id=i, kind=articles[i].kind.value, title=texts[i].title, summary=texts[i].summary)
        for i in article_ids
        if i in articles and i in texts
    ]


def list_articles(session: Session, *, topic_id: str, lang: str) -> list[ArticleSummary]:
    ids = session.exec(
        select(Article.id).where(Article.topic_id == topic_id).order_by(Article.order, Article.id)
    ).all()
    return _summaries(session, list(ids), lang)


def contacts_for(
    session: Session, *, country: str, lang: str, kinds: list[str] | None = None
) -> list[ContactCard]:
    """A country's contacts, emergency numbers first."""
    statement = select(Contact).where(Contact.country == country)
    if kinds:
        statement = statement.where(Contact.kind.in_(kinds))
    contacts = session.exec(statement).all()
    texts = _in_language(
        session.exec(
            select(ContactText).where(
                ContactText.contact_id.in_([c.id for c in contacts]), ContactText.lang.in_([lang, SOURCE_LANGUAGE])
            )
        ).all(),
        lang,
        lambda row: row.contact_id,
    )
    contacts = sorted(contacts, key=lambda c: (CONTACT_KIND_ORDER[c.kind], c.id))
    return [
        ContactCard(
            id=c.id,
            country=c.country,
            kind=c.kind.value,
            name=texts[c.id].name,
            note=texts[c.id].note,
            dial=c.short_number or c.phone,
            website=c.website,
            source=c.source,
            verified_on=c.verified_on,
        )
        for c in contacts
        if c.id in texts
    ]


def get_article(session: Session, *, article_id: str, lang: str, country: str | None = None) -> ArticleDetail | None:
    article = session.get(Article, article_id)
    if article is None:
        return None
    text = session.get(ArticleText, (article_id, lang)) or session.get(ArticleText, (article_id, SOURCE_LANGUAGE))
    if text is None:
        return None
    related_ids = session.exec(
        select(ArticleLink.related_id).where(ArticleLink.article_id == article_id).order_by(ArticleLink.position)
    ).all()
    kinds = [k for k in article.contact_kinds.split(",") if k]
    if country is None:
        countries = session.exec(select(ArticleCountry.country).where(ArticleCountry.article_id == article_id)).all()
        country = countries[0] if len(countries) == 1 else None
    contacts = contacts_for(session, country=country, lang=lang, kinds=kinds) if kinds and country else []
    return ArticleDetail(
        id=article.id,
        kind=article.kind.value,
        topic_id=article.topic_id,
        lang=text.lang,
        is_fallback=text.lang != lang,
        reviewed=text.reviewed,
        title=text.title,
        summary=text.summary,
        body_markdown=text.body,
        source=article.source,
        updated_at=article.updated_at,
        related=_summaries(session, list(related_ids), lang),
        contacts=contacts,
    )


def installed(session: Session) -> InstalledContent | None:
    bundle = session.exec(select(InstalledBundle)).first()
    if bundle is None:
        return None
    return InstalledContent(
        version=bundle.version,
        created_at=bundle.created_at,
        installed_at=bundle.installed_at,
        expires_at=bundle.expires_at,
    )
