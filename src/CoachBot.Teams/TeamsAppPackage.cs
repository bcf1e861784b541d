using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CoachBot.Teams;

/// <summary>Builds the Teams app package: a zip with the manifest and its two icons at the root.</summary>
public static class TeamsAppPackage
{
    public const string ManifestFileName = "manifest.json";

    // A fixed entry time, so the same inputs always give the same bytes (packages can be compared and cached).
    private static readonly DateTimeOffset EntryTime = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Reads <c>manifest.json</c> from <paramref name="manifestFolder"/>, puts <paramref name="appId"/>
    /// in as the Teams app id and the bot id, and zips it with the icons it names.
    /// </summary>
    /// <param name="appId">The bot's Entra app id (a GUID), as registered with Azure Bot Service.</param>
    /// <exception cref="ArgumentException">The app id is not a GUID.</exception>
    /// <exception cref="FileNotFoundException">The manifest or an icon it names is missing.</exception>
    /// <exception cref="FormatException">The manifest is not JSON or declares no bot.</exception>
    public static byte[] Build(string manifestFolder, string appId)
    {
        ArgumentNullException.ThrowIfNull(manifestFolder);
        if (!Guid.TryParse(appId, out var id))
        {
            throw new ArgumentException(
                $"The Teams app id must be the bot's Microsoft App ID, a GUID like 00000000-0000-0000-0000-000000000000; got '{appId}'.",
                nameof(appId));
        }

        var manifest = TeamsManifest.Parse(File.ReadAllText(Existing(manifestFolder, ManifestFileName)));
        if (manifest["bots"] is not JsonArray { Count: > 0 } bots || bots[0] is not JsonObject bot)
        {
            throw new FormatException("The Teams manifest declares no bot.");
        }

        var text = id.ToString("D");
        manifest["id"] = text;
        bot["botId"] = text;

        using var zipBytes = new MemoryStream();
        using (var zip = new ZipArchive(zipBytes, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, ManifestFileName, Encoding.UTF8.GetBytes(manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
            foreach (var icon in new[] { "color", "outline" })
            {
                if (manifest["icons"]?[icon] is not JsonValue value || !value.TryGetValue<string>(out var name) || name.Length == 0)
                {
                    throw new FormatException($"The Teams manifest names no icons.{icon} file.");
                }

                // Teams wants the icons at the zip root, next to the manifest.
                if (Path.GetFileName(name) != name)
                {
                    throw new FormatException($"The Teams manifest's icons.{icon} must be a file name at the package root, not a path: {name}");
                }

                Add(zip, name, File.ReadAllBytes(Existing(manifestFolder, name)));
            }
        }

        return zipBytes.ToArray();
    }

    private static string Existing(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"The Teams app package needs {name} in {folder}.", path);
    }

    private static void Add(ZipArchive zip, string name, byte[] content)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = EntryTime;
        using var stream = entry.Open();
        stream.Write(content);
    }
}
