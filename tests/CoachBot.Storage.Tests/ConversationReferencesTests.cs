using Microsoft.EntityFrameworkCore;

namespace CoachBot.Storage.Tests;

public sealed class ConversationReferencesOnSqlite() : ConversationReferencesTests(TestProvider.Sqlite);

public sealed class ConversationReferencesOnPostgres() : ConversationReferencesTests(TestProvider.Postgres);

public abstract class ConversationReferencesTests(TestProvider provider) : StorageTest(provider)
{
    private ConversationReferences _references = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _references = new ConversationReferences(Db, Time);
    }

    private static ConversationReference Reference(string conversationId, string serviceUrl = "https://smba.trafficmanager.net/emea/", string type = "Personal") => new()
    {
        ConversationId = conversationId,
        TenantId = "tenant-1",
        ServiceUrl = serviceUrl,
        BotId = "28:bot",
        ConversationType = type,
        UserId = "29:user",
    };

    [Fact]
    public async Task Upserted_reference_is_found_with_the_type_spelled_as_teams_does()
    {
        await _references.UpsertAsync(Reference("a:1", type: "GroupChat"));

        var found = await _references.FindAsync("a:1");

        Assert.NotNull(found);
        Assert.Equal(ConversationReference.GroupChat, found.ConversationType);
        Assert.Equal("29:user", found.UserId);
        Assert.Equal(Time.GetUtcNow(), found.InstalledAt);
        Assert.Null(found.WelcomedAt);
        Assert.Null(await _references.FindAsync("a:2"));
    }

    [Fact]
    public async Task Upsert_of_a_known_conversation_refreshes_the_service_url_and_keeps_install_and_welcome()
    {
        await _references.UpsertAsync(Reference("a:1"));
        var installed = Time.GetUtcNow();
        Assert.True(await _references.TryMarkWelcomedAsync("a:1"));
        Time.Advance(TimeSpan.FromDays(1));

        await _references.UpsertAsync(Reference("a:1", serviceUrl: "https://smba.trafficmanager.net/amer/"));

        var found = await _references.FindAsync("a:1");
        Assert.Equal("https://smba.trafficmanager.net/amer/", found!.ServiceUrl);
        Assert.Equal(installed, found.InstalledAt);
        Assert.Equal(installed, found.WelcomedAt);
        Assert.Equal(1, await Db.ConversationReferences.CountAsync());
    }

    [Fact]
    public async Task Unknown_conversation_type_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _references.UpsertAsync(Reference("a:1", type: "meeting")));
    }

    [Fact]
    public async Task Welcome_is_marked_only_the_first_time()
    {
        await _references.UpsertAsync(Reference("a:1"));

        Assert.True(await _references.TryMarkWelcomedAsync("a:1"));
        Assert.False(await _references.TryMarkWelcomedAsync("a:1"));
        Assert.False(await _references.TryMarkWelcomedAsync("a:unknown"));
    }

    [Fact]
    public async Task Two_workers_marking_the_welcome_at_once_get_one_true()
    {
        for (var n = 0; n < 10; n++)
        {
            await _references.UpsertAsync(Reference($"a:{n}"));
            var id = $"a:{n}";

            var results = await RaceAsync(3, db => new ConversationReferences(db, Time).TryMarkWelcomedAsync(id));

            Assert.Single(results, r => r);
        }
    }

    [Fact]
    public async Task Removed_conversation_is_forgotten_and_welcomed_again_after_a_reinstall()
    {
        await _references.UpsertAsync(Reference("a:1"));
        await _references.TryMarkWelcomedAsync("a:1");

        Assert.True(await _references.RemoveAsync("a:1"));
        Assert.False(await _references.RemoveAsync("a:1"));
        Assert.Null(await _references.FindAsync("a:1"));

        await _references.UpsertAsync(Reference("a:1"));
        Assert.True(await _references.TryMarkWelcomedAsync("a:1"));
    }

    [Fact]
    public async Task Install_events_racing_on_one_conversation_leave_one_row()
    {
        var results = await RaceAsync(4, async db =>
        {
            await new ConversationReferences(db, Time).UpsertAsync(Reference("a:1"));
            return true;
        });

        Assert.All(results, Assert.True);
        Assert.Equal(1, await Db.ConversationReferences.CountAsync());
    }
}
