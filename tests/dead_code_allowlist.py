"""Names vulture (the dead-code check, `make test`) must treat as used. Never imported or run.

Each entry says who uses the name, since no code in app/, sync_server/ or main.py does.
Keep it short: code that nothing uses is deleted, not listed here.
"""
# ruff: noqa
_ = object()

# Enum members: content files and saved settings name them by value, never in code.
_.before_you_go, _.in_destination, _.coming_home, _.family_at_home  # Stage
_.advice, _.what_if  # ArticleKind
_.national_society, _.rfl, _.hotline  # ContactKind
_.ambulance, _.police, _.fire  # EmergencyService (app/content/emergency.py compares the same words)
_.destination, _.transit  # CountryRole
_.warning, _.danger  # Severity
_.any_network, _.mobile  # DataUse, Network

# Table columns filled from content files by key (app/content/rows.py) and read by SQL.
_.no_national_society_source, _.no_national_society  # Country, CountryText
_.article_count  # TopicCard: filled by the topic query
_.documents, _.health, _.violence, _.detention, _.other  # HelpKind: a form sends them by value
_.requests_changed  # AppState: a change re-renders the session (observable), so "My requests" reloads
_.documents_changed  # AppState: a change re-renders the session (observable), so "My documents" reloads

# Read by the framework, not by our code.
_.build_bundle  # a command, looked up by its name (sync_server/__main__.py)
_.add_user, _.disable_user, _.reset_user  # `user add|disable|reset`, looked up by name (sync_server/__main__.py)
_.import_content, _.export_content  # `content import|export`, looked up by name (sync_server/__main__.py)
_.approved_items  # tests and the translating pages' checks read what the publisher signs, parsed
_.editor, _.reviewer  # Role: accounts name roles by value (`user add --role`)
_.diff, _.details, _.has_history  # editor page rows: the templates read them (sync_server/editor/web/templates)
_.at  # AuditEntry: the audit page's template reads it (sync_server/staff/templates/audit.html)
_.english_updated, _.translation_updated  # QueueRow: sync_server/translating/templates/translation_queue.html
_.who, _.offers  # Programme: sync_server/translating/templates/programmes.html
_.last_change  # InboxRow, OpenedRequest: the inbox templates read it (sync_server/inbox/templates)
_.GuardedHttpToolsProtocol, _.create_app_from_env  # named in strings to uvicorn (sync_server/serving/server.py)
_.down_revision  # Alembic chains migrations by it
_.mime_headers  # Babel writes it into the catalog header
_._fetch, _.download_bytes, _.download_file  # FetcherAdapter (app/content/update.py): python-tuf's Updater calls them
_.rtl, _.theme_mode  # Flet sends page properties to the client
_.validateLink  # app/content/remote_images.py: markdown-it calls it for every link and image
_.on_connect, _.on_disconnect, _.on_close, _.on_app_lifecycle_state_change  # Flet calls these page handlers (app/actions.py)

# Kept for tests and benchmarks (tests/, bench/), which vulture does not scan.
_.generate_keys  # sync_server/publishing/keys.py: throwaway signing keys
_.running_sync_server  # sync_server/local_process.py: a real server on loopback
_.LocalFetcher  # app/content/fetch.py: a repository in a folder, for the update and security tests
_.read_installed  # app/content/install.py: what a phone has installed, read by the sync and server tests
_.DEV_REQUEST_KEY  # sync_server/paths.py: the development request key, copied into data folders by tests (make run names the file)
# Help-request form fields (sync_server/requests/forms.py): phones send them by name, pydantic checks them.
_.model_config, _.consent, _.sought_name, _.relationship, _.last_country, _.last_city, _.last_contact_date
_.employer_or_agency, _.requester_name, _.requester_phone, _.home_country, _.help_kind, _.city, _.safe_time
_.trusted_person, _.family_phone
_.downgrade  # Alembic runs it (sync_server/migrations)
