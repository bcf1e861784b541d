using System.Net;
using System.Text;

namespace CoachBot.Tests;

/// <summary>The real host on a real SQLite file: once a message is coached, its text is gone from every file on disk.</summary>
public sealed class MessageTextAtRestTests
{
    [Fact]
    public async Task A_coached_dm_leaves_no_copy_of_its_text_in_the_database_or_its_wal()
    {
        using var slack = new FakeSlackApi();
        await using var host = await SlackBotHost.StartAsync(slack);
        var marker = "zq" + Guid.NewGuid().ToString("N");
        var text = $"What does your purchasing process look like at {marker}?";

        Assert.Equal(HttpStatusCode.OK, (await host.PostEventAsync(SlackBotHost.DmEvent("EvRest1", "1700000101.000100", text))).StatusCode);

        // The reply reaches Slack a moment before the item is marked done: wait for the post, then for the files.
        await slack.WaitForPostsAsync(1, TimeSpan.FromSeconds(30));

        // Coached: the row keeps ids only, and within a checkpoint interval no file holds the text in a freed page or WAL frame.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        string[] holding;
        while ((holding = FilesContaining(host.DataDirectory, marker)).Length > 0)
        {
            Assert.True(
                DateTime.UtcNow < deadline,
                $"Still holding the coached text after 40 s: {string.Join(", ", holding.Select(Path.GetFileName))}");
            await Task.Delay(250);
        }

        // The files are the live database, not an emptied folder.
        Assert.True(File.Exists(host.DatabaseFile));
        Assert.Equal(1, await host.ScalarAsync("SELECT COUNT(*) FROM inbox WHERE State = 'Done'"));
    }

    private static string[] FilesContaining(string folder, string marker)
    {
        var needle = Encoding.UTF8.GetBytes(marker);
        // node-id holds only this replica's lease name and is locked while the host runs, so it cannot be read here.
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(path => Path.GetFileName(path) != "node-id")
            .Where(path => Read(path).AsSpan().IndexOf(needle) >= 0)
            .ToArray();
    }

    private static byte[] Read(string path)
    {
        // The host has the files open; read them as they are on disk right now.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
