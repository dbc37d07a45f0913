from dossiers.tests.factories import clerk, clerk_client, plain_static_files, staffer, staffer_client  # noqa: F401
