"""Read installed content in one language, with English as the fallback."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from app.content.countries import alphabetical_key, country_name
from app.content.cross_references import link_cross_references
from app.content.dialling import ANYWHERE, Dialling, number_to_dial
from app.content.dto import (
    ArticleDetail,
    ArticleSummary,
    ContactCard,
    CountryOption,
    InstalledContent,
    NoticeCard,
    ServiceGroup,
    TopicCard,
)
from app.content.models import (
    Article,
    ArticleCountry,
    ArticleKind,
    ArticleLink,
    ArticleText,
    Contact,
    ContactKind,
    ContactText,
    Country,
    CountryText,
    InstalledBundle,
    Language,
    Notice,
    NoticeCountry,
    NoticeText,
    Stage,
    Topic,
    TopicText,
)
from app.content.remote_images import without_remote_images
from app.content.schemas import SOURCE_LANGUAGE, https_website, tel_uri
from app.content.translation_state import translation_state

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
        ArticleSummary(id=i, kind=articles[i].kind.value, title=texts[i].title, summary=texts[i].summary,
                       lang=texts[i].lang)
        for i in article_ids
        if i in articles and i in texts
    ]


def list_articles(
    session: Session, *, topic_id: str, lang: str, countries: list[str] | None = None
) -> list[ArticleSummary]:
    """A topic's articles; with `countries`, those about other countries are left out."""
    ids = session.exec(
        select(Article.id).where(Article.topic_id == topic_id).order_by(Article.order, Article.id)
    ).all()
    if countries:
        about = session.exec(select(ArticleCountry.article_id, ArticleCountry.country).where(ArticleCountry.article_id.in_(ids))).all()
        elsewhere = {a for a, _ in about} - {a for a, c in about if c in countries}
        ids = [i for i in ids if i not in elsewhere]
    return _summaries(session, list(ids), lang)


def contacts_by_country(
    session: Session, *, countries: list[str], lang: str, kinds: list[str] | None = None,
    dialling: Dialling = ANYWHERE,
) -> dict[str, list[ContactCard]]:
    """Each country's contacts, emergency numbers first, in two queries whatever the number of countries.

    A number gets a `tel:` link only if it can be dialled from where `dialling` says the phone is."""
    statement = select(Contact).where(Contact.country.in_(countries))
    if kinds:
        statement = statement.where(Contact.kind.in_(kinds))
    contacts = session.exec(statement).all()
    rows = session.exec(
        select(ContactText).where(
            ContactText.contact_id.in_([c.id for c in contacts]), ContactText.lang.in_([lang, SOURCE_LANGUAGE])
        )
    ).all()
    texts = _in_language(rows, lang, lambda row: row.contact_id)
    # A name translated before its note: the note stays English (the screen folds it away).
    english_notes = {row.contact_id: row for row in rows if row.lang == SOURCE_LANGUAGE and row.note}
    checkers = _society_names(session, {c.checked_by for c in contacts if c.checked_by}, lang)
    cards: dict[str, list[ContactCard]] = {country: [] for country in countries}
    for c in sorted(contacts, key=lambda c: (CONTACT_KIND_ORDER[c.kind], c.id)):
        if c.id not in texts:
            continue
        note = texts[c.id] if texts[c.id].note or c.id not in english_notes else english_notes[c.id]
        dial, dialable = number_to_dial(country=c.country, kind=c.kind.value, short_number=c.short_number,
                                        phone=c.phone, dialling=dialling)
        cards[c.country].append(ContactCard(
            id=c.id,
            country=c.country,
            kind=c.kind.value,
            services=tuple(s.value for s in c.service_list()),
            name=texts[c.id].name,
            note=note.note,
            dial=dial,
            tel=tel_uri(dial) if dialable else None,
            website=https_website(c.website),
            source=c.source,
            verified_on=c.verified_on,
            note_lang=note.lang,
            checked_by=checkers.get(c.checked_by or ""),
            for_country=c.for_country,
            dial_only_in=None if dialable or tel_uri(dial) is None else c.country,
        ))
    return cards


def _society_names(session: Session, countries: set[str], lang: str) -> dict[str, str]:
    """Each country's National Society, named as its own contact is in `lang` (else English)."""
    if not countries:
        return {}
    societies = {c.id: c.country for c in session.exec(
        select(Contact).where(Contact.country.in_(countries), Contact.kind == ContactKind.national_society)).all()}
    texts = _in_language(
        session.exec(select(ContactText).where(
            ContactText.contact_id.in_(list(societies)), ContactText.lang.in_([lang, SOURCE_LANGUAGE]))).all(),
        lang,
        lambda row: row.contact_id,
    )
    return {societies[contact_id]: text.name for contact_id, text in sorted(texts.items())}


def contacts_for(
    session: Session, *, country: str, lang: str, kinds: list[str] | None = None,
    dialling: Dialling = ANYWHERE,
) -> list[ContactCard]:
    """A country's contacts, emergency numbers first."""
    return contacts_by_country(session, countries=[country], lang=lang, kinds=kinds, dialling=dialling)[country]


def get_article(session: Session, *, article_id: str, lang: str, country: str | None = None,
                dialling: Dialling = ANYWHERE) -> ArticleDetail | None:
    article = session.get(Article, article_id)
    if article is None:
        return None
    text = session.get(ArticleText, (article_id, lang)) or session.get(ArticleText, (article_id, SOURCE_LANGUAGE))
    if text is None:
        return None
    related_ids = list(session.exec(
        select(ArticleLink.related_id).where(ArticleLink.article_id == article_id).order_by(ArticleLink.position)
    ).all())
    # Remote images are never fetched, even from a tampered row.
    body, named = link_cross_references(without_remote_images(text.body), _titles(session, text.lang), article.id)
    related_ids += [page for page in named if page not in related_ids]
    kinds = [k for k in article.contact_kinds.split(",") if k]
    about = session.exec(select(ArticleCountry.country).where(ArticleCountry.article_id == article_id)).all()
    if country is None:
        country = about[0] if len(about) == 1 else None
    contacts = contacts_for(session, country=country, lang=lang, kinds=kinds,
                            dialling=dialling) if kinds and country else []
    return ArticleDetail(
        id=article.id,
        kind=article.kind.value,
        topic_id=article.topic_id,
        lang=text.lang,
        is_fallback=text.lang != lang,
        reviewed=text.reviewed,
        title=text.title,
        summary=text.summary,
        body_markdown=body,
        source=article.source,
        updated_at=article.updated_at,
        related=_summaries(session, related_ids, lang),
        contacts=contacts,
        contact_kinds=tuple(kinds),
        countries=tuple(sorted(about)),
        translation=_translation_state(session, text),
    )


def _translation_state(session: Session, text: ArticleText) -> str | None:
    """machine | stale | reviewed for a translation; None for the English original."""
    english = session.get(ArticleText, (text.article_id, SOURCE_LANGUAGE))
    if text.lang == SOURCE_LANGUAGE or english is None:
        return None
    return translation_state(english_updated_at=english.updated_at, reviewed=text.reviewed,
                             updated_at=text.updated_at).value


def _titles(session: Session, lang: str) -> dict[str, str]:
    return dict(session.exec(select(ArticleText.article_id, ArticleText.title).where(ArticleText.lang == lang)).all())


def no_national_society(session: Session, *, country: str, lang: str) -> str | None:
    """What to do in a country without a National Society (None where it has one)."""
    text = session.get(CountryText, (country, lang)) or session.get(CountryText, (country, SOURCE_LANGUAGE))
    return text.no_national_society if text else None


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


def article_summaries(session: Session, *, article_ids: list[str], lang: str) -> list[ArticleSummary]:
    """Summaries of the given articles, in the given order; unknown ids are left out."""
    return _summaries(session, list(article_ids), lang)


def list_languages(session: Session) -> list[str]:
    """Codes of the languages the installed content is written in."""
    return sorted(session.exec(select(Language.code)).all())


def list_countries(session: Session, *, lang: str) -> list[CountryOption]:
    """Countries in scope, named in `lang`, in alphabetical order of that name."""
    options = [
        CountryOption(code=c.code, name=country_name(c.code, lang), roles=tuple(c.roles.split(",")))
        for c in session.exec(select(Country)).all()
    ]
    return sorted(options, key=lambda o: alphabetical_key(o.name))


def _article_countries(session: Session, article_ids: list[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    rows = session.exec(select(ArticleCountry).where(ArticleCountry.article_id.in_(article_ids))).all()
    for row in rows:
        found.setdefault(row.article_id, set()).add(row.country)
    return found


def articles_of_kind(session: Session, *, kind: str, lang: str, country: str | None = None) -> list[ArticleSummary]:
    """Articles of one kind; with `country`, only those for that country or for everywhere."""
    ids = list(
        session.exec(select(Article.id).where(Article.kind == ArticleKind(kind)).order_by(Article.order, Article.id)).all()
    )
    if country:
        countries = _article_countries(session, ids)
        ids = [i for i in ids if not countries.get(i) or country in countries[i]]
    return _summaries(session, ids, lang)


def services_by_country(session: Session, *, lang: str) -> list[ServiceGroup]:
    """National Society programmes (articles of kind `service`), grouped by country name."""
    ids = list(session.exec(select(Article.id).where(Article.kind == ArticleKind.service).order_by(Article.id)).all())
    summaries = {s.id: s for s in _summaries(session, ids, lang)}
    groups: dict[str, list[ArticleSummary]] = {}
    for article_id, countries in _article_countries(session, ids).items():
        for country in countries:
            if article_id in summaries:
                groups.setdefault(country, []).append(summaries[article_id])
    named = [
        ServiceGroup(country=c, country_name=country_name(c, lang), services=sorted(s, key=lambda a: a.title.casefold()))
        for c, s in groups.items()
    ]
    return sorted(named, key=lambda g: g.country_name.casefold())


def active_notices(session: Session, *, countries: list[str], lang: str, today: date) -> list[NoticeCard]:
    """Notices in force today for any of `countries`, newest first."""
    return [n for n in notices_for(session, countries=countries, lang=lang) if n.starts <= today <= n.ends]


def notices_for(session: Session, *, countries: list[str], lang: str) -> list[NoticeCard]:
    """Every notice for any of `countries` (past, in force, coming), the latest start first."""
    if not countries:
        return []
    ids = set(session.exec(select(NoticeCountry.notice_id).where(NoticeCountry.country.in_(countries))).all())
    notices = session.exec(select(Notice).where(Notice.id.in_(ids))).all()
    if not notices:
        return []
    notice_ids = [n.id for n in notices]
    texts = _in_language(
        session.exec(
            select(NoticeText).where(NoticeText.notice_id.in_(notice_ids), NoticeText.lang.in_([lang, SOURCE_LANGUAGE]))
        ).all(),
        lang,
        lambda row: row.notice_id,
    )
    where: dict[str, list[str]] = {}
    for row in session.exec(select(NoticeCountry).where(NoticeCountry.notice_id.in_(notice_ids))).all():
        where.setdefault(row.notice_id, []).append(row.country)
    return [
        NoticeCard(
            id=n.id,
            severity=n.severity.value,
            title=texts[n.id].title,
            body=texts[n.id].body,
            countries=tuple(sorted(where.get(n.id, []))),
            starts=n.starts,
            ends=n.ends,
            example=n.example,
            lang=texts[n.id].lang,
        )
        for n in sorted(notices, key=lambda n: (n.starts, n.ends, n.id), reverse=True)
        if n.id in texts
    ]
