using Microsoft.EntityFrameworkCore;

namespace CoachBot.Storage.Tests;

public sealed class SlackInstallationsOnSqlite() : SlackInstallationsTests(TestProvider.Sqlite);

public sealed class SlackInstallationsOnPostgres() : SlackInstallationsTests(TestProvider.Postgres);

public abstract class SlackInstallationsTests(TestProvider provider) : StorageTest(provider)
{
    private SlackInstallations _installations = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _installations = new SlackInstallations(Db, Time);
    }

    private static SlackInstallation Install(string teamId, string? enterpriseId = null, string token = "protected:1") => new()
    {
        TeamId = teamId,
        EnterpriseId = enterpriseId,
        BotUserId = "UBOT",
        BotId = "BBOT",
        AppId = "A1",
        Scopes = "chat:write,im:history",
        ProtectedBotToken = token,
    };

    [Fact]
    public async Task Saved_install_is_found_by_its_team()
    {
        await _installations.SaveAsync(Install("T1"));

        var found = await _installations.FindAsync("T1", null);

        Assert.NotNull(found);
        Assert.Equal("protected:1", found.ProtectedBotToken);
        Assert.Null(found.EnterpriseId);
        Assert.Equal("UBOT", found.BotUserId);
        Assert.Equal(Time.GetUtcNow(), found.InstalledAt);
        Assert.Null(await _installations.FindAsync("T2", null));
    }

    [Fact]
    public async Task Reinstall_updates_the_row_and_keeps_the_first_install_time()
    {
        await _installations.SaveAsync(Install("T1"));
        var first = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromDays(3));

        await _installations.SaveAsync(Install("T1", token: "protected:2"));

        var found = await _installations.FindAsync("T1", null);
        Assert.Equal("protected:2", found!.ProtectedBotToken);
        Assert.Equal(first, found.InstalledAt);
        Assert.Equal(Time.GetUtcNow(), found.UpdatedAt);
        Assert.Equal(1, await Db.SlackInstallations.CountAsync());
    }

    [Fact]
    public async Task Workspace_without_its_own_install_falls_back_to_the_org_wide_install()
    {
        await _installations.SaveAsync(Install("", "E1", token: "protected:org"));
        await _installations.SaveAsync(Install("T2", "E1", token: "protected:t2"));

        Assert.Equal("protected:org", (await _installations.FindAsync("T1", "E1"))!.ProtectedBotToken);
        Assert.Equal("protected:t2", (await _installations.FindAsync("T2", "E1"))!.ProtectedBotToken);
        Assert.Equal("protected:org", (await _installations.FindAsync("", "E1"))!.ProtectedBotToken);
        Assert.Null(await _installations.FindAsync("T1", "E2"));
        Assert.Null(await _installations.FindAsync("T1", null));
    }

    [Fact]
    public async Task Same_team_id_with_and_without_an_enterprise_are_different_installs()
    {
        await _installations.SaveAsync(Install("T1", token: "protected:plain"));
        await _installations.SaveAsync(Install("T1", "E1", token: "protected:grid"));

        Assert.Equal("protected:plain", (await _installations.FindAsync("T1", null))!.ProtectedBotToken);
        Assert.Equal("protected:grid", (await _installations.FindAsync("T1", "E1"))!.ProtectedBotToken);
    }

    [Fact]
    public async Task Delete_removes_exactly_that_install_and_counts_it()
    {
        await _installations.SaveAsync(Install("", "E1"));
        await _installations.SaveAsync(Install("T1", "E1"));

        Assert.Equal(1, await _installations.DeleteAsync("T1", "E1"));
        Assert.Equal(0, await _installations.DeleteAsync("T1", "E1"));

        // The org-wide install is untouched and serves the workspace again.
        Assert.Equal("", (await _installations.FindAsync("T1", "E1"))!.TeamId);
        Assert.Equal(1, await _installations.DeleteAsync("", "E1"));
        Assert.Null(await _installations.FindAsync("T1", "E1"));
    }

    [Fact]
    public async Task Org_wide_install_needs_its_enterprise_id()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _installations.SaveAsync(Install("")));
    }

    [Fact]
    public async Task Two_callbacks_saving_the_same_install_at_once_leave_one_row()
    {
        var results = await RaceAsync(4, async db =>
        {
            await new SlackInstallations(db, Time).SaveAsync(Install("T1", "E1"));
            return true;
        });

        Assert.All(results, Assert.True);
        Assert.Equal(1, await Db.SlackInstallations.CountAsync());
    }
}
