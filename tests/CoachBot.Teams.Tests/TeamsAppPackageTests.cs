using System.IO.Compression;
using System.Text.Json.Nodes;

namespace CoachBot.Teams.Tests;

public sealed class TeamsAppPackageTests
{
    private const string AppId = "5f0b7c2e-0000-4000-8000-00000000b0a7";

    private static Dictionary<string, byte[]> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }, StringComparer.Ordinal);
    }

    [Fact]
    public void Puts_the_manifest_and_both_icons_at_the_zip_root()
    {
        var entries = Entries(TeamsAppPackage.Build(RepoFiles.ManifestFolder, AppId));

        Assert.Equal(["color.png", "manifest.json", "outline.png"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllBytes(Path.Combine(RepoFiles.ManifestFolder, "color.png")), entries["color.png"]);
    }

    [Fact]
    public void Fills_in_the_app_id_as_the_teams_app_id_and_the_bot_id()
    {
        var entries = Entries(TeamsAppPackage.Build(RepoFiles.ManifestFolder, AppId.ToUpperInvariant()));

        var manifest = JsonNode.Parse(entries["manifest.json"])!;
        Assert.Equal(AppId, (string?)manifest["id"]);
        Assert.Equal(AppId, (string?)manifest["bots"]![0]!["botId"]);
    }

    [Fact]
    public void Gives_the_same_bytes_for_the_same_inputs() =>
        Assert.Equal(TeamsAppPackage.Build(RepoFiles.ManifestFolder, AppId), TeamsAppPackage.Build(RepoFiles.ManifestFolder, AppId));

    [Theory]
    [InlineData("")]
    [InlineData("coachbot")]
    [InlineData("28:5f0b7c2e-0000-4000-8000-00000000b0a7")]
    public void Refuses_an_app_id_that_is_not_a_guid(string appId)
    {
        var refused = Assert.Throws<ArgumentException>(() => TeamsAppPackage.Build(RepoFiles.ManifestFolder, appId));

        Assert.Contains("GUID", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_an_icon_missing_from_the_folder()
    {
        var folder = Directory.CreateTempSubdirectory("coachbot-manifest-").FullName;
        try
        {
            File.Copy(RepoFiles.Manifest, Path.Combine(folder, "manifest.json"));
            File.Copy(Path.Combine(RepoFiles.ManifestFolder, "color.png"), Path.Combine(folder, "color.png"));

            var missing = Assert.Throws<FileNotFoundException>(() => TeamsAppPackage.Build(folder, AppId));

            Assert.Contains("outline.png", missing.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
