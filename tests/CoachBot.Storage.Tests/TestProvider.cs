namespace CoachBot.Storage.Tests;

/// <summary>The database a test class runs on; every storage test runs on both.</summary>
public enum TestProvider
{
    Sqlite,
    Postgres,
}
