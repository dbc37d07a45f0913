from dossiers.tests.factories import clerk, clerk_client, staffer, staffer_client  # noqa: F401
