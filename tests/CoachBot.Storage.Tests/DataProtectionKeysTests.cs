using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CoachBot.Storage.Tests;

public sealed class DataProtectionKeysOnSqlite() : DataProtectionKeysTests(TestProvider.Sqlite);

public sealed class DataProtectionKeysOnPostgres() : DataProtectionKeysTests(TestProvider.Postgres);

public abstract class DataProtectionKeysTests(TestProvider provider) : StorageTest(provider)
{
    /// <summary>A host process's Data Protection, keeping its keys in the test database as the host does.</summary>
    private ServiceProvider Replica()
    {
        var services = new ServiceCollection();
        services.AddScoped(_ => Database.NewContext());
        services.AddDataProtection().SetApplicationName("CoachBot").PersistKeysToDbContext<CoachBotDbContext>();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Token_protected_on_one_replica_is_readable_on_another()
    {
        string protectedToken;
        await using (var first = Replica())
        {
            protectedToken = first.GetRequiredService<IDataProtectionProvider>().CreateProtector("slack.bot-token").Protect("xoxb-secret");
        }

        Assert.NotEmpty(await Db.DataProtectionKeys.ToListAsync());
        await using var second = Replica();
        Assert.Equal("xoxb-secret", second.GetRequiredService<IDataProtectionProvider>().CreateProtector("slack.bot-token").Unprotect(protectedToken));
    }
}
