using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace CoachBot.Teams.Tests;

public sealed class TeamsManifestTests
{
    private static readonly string[] Scopes = ["personal", "team", "groupChat"];

    private static string ManifestJson => File.ReadAllText(RepoFiles.Manifest);

    [Fact]
    public void Lists_the_bots_command_titles_once_each_in_order() =>
        Assert.Equal(
            ["help", "check", "nudge on", "nudge off", "nudge status", "nudge now", "nudge skip"],
            TeamsManifest.CommandTitles(ManifestJson));

    [Fact]
    public void Offers_the_same_commands_in_every_scope_within_teams_length_limits()
    {
        var bot = JsonNode.Parse(ManifestJson)!["bots"]![0]!;

        Assert.Equal(Scopes, bot["scopes"]!.AsArray().Select(s => (string)s!));
        var lists = bot["commandLists"]!.AsArray();
        Assert.Equal(Scopes, lists.Select(l => (string)l!["scopes"]![0]!));
        foreach (var command in lists.SelectMany(l => l!["commands"]!.AsArray()))
        {
            Assert.InRange(((string)command!["title"]!).Length, 1, 32);
            Assert.InRange(((string)command["description"]!).Length, 1, 128);
        }
    }

    [Fact]
    public void Keeps_placeholder_ids_for_the_package_command_to_fill_in()
    {
        var manifest = JsonNode.Parse(ManifestJson)!;

        Assert.Equal("00000000-0000-0000-0000-000000000000", (string?)manifest["id"]);
        Assert.Equal("00000000-0000-0000-0000-000000000000", (string?)manifest["bots"]![0]!["botId"]);
    }

    [Fact]
    public void Refuses_a_manifest_without_a_bot() =>
        Assert.Throws<FormatException>(() => TeamsManifest.CommandTitles("""{"manifestVersion":"1.22"}"""));

    [Fact]
    public void Refuses_text_that_is_not_json() =>
        Assert.Throws<FormatException>(() => TeamsManifest.CommandTitles("manifest"));

    [Fact]
    public void Outline_icon_is_white_on_transparent_at_32_pixels()
    {
        var (width, height, pixels) = ReadRgbaPng(Path.Combine(RepoFiles.ManifestFolder, "outline.png"));

        Assert.Equal((32, 32), (width, height));
        var opaque = pixels.Chunk(4).Where(p => p[3] > 0).ToList();
        Assert.NotEmpty(opaque);
        Assert.Contains(pixels.Chunk(4), p => p[3] == 0);
        Assert.All(opaque, p => Assert.Equal([255, 255, 255], p[..3]));
    }

    [Fact]
    public void Color_icon_is_192_pixels_square()
    {
        var (width, height, _) = ReadRgbaPng(Path.Combine(RepoFiles.ManifestFolder, "color.png"));

        Assert.Equal((192, 192), (width, height));
    }

    /// <summary>Reads an 8-bit RGBA PNG whose rows all use filter 0, as manifest/teams/make-icons.py writes them.</summary>
    private static (int Width, int Height, byte[] Pixels) ReadRgbaPng(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16));
        var height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20));
        Assert.Equal((8, 6), (bytes[24], bytes[25]));
        using var idat = new MemoryStream();
        for (var at = 8; at < bytes.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            if (bytes.AsSpan(at + 4, 4).SequenceEqual("IDAT"u8))
            {
                idat.Write(bytes, at + 8, length);
            }

            at += 12 + length;
        }

        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var rows = raw.ToArray().Chunk((width * 4) + 1).ToList();
        Assert.All(rows, r => Assert.Equal(0, r[0]));
        return (width, height, [.. rows.SelectMany(r => r[1..])]);
    }
}
