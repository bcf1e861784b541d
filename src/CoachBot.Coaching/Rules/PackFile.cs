using System.Reflection;

namespace CoachBot.Coaching.Rules;

/// <summary>A YAML file of a rule pack, from the assembly or from a folder.</summary>
/// <param name="Path">Where the file came from, as shown in error messages.</param>
/// <param name="Pack">The pack folder's name, or empty for a file at the root (lexicon.yaml, org.yaml).</param>
internal sealed record PackFile(string Path, string Pack, string Name, string Content)
{
    private const string ResourcePrefix = "Packs/";

    /// <summary>The default packs embedded in this assembly.</summary>
    public static List<PackFile> Embedded()
    {
        var assembly = typeof(PackFile).Assembly;
        var files = new List<PackFile>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var relative = name[ResourcePrefix.Length..];
            var slash = relative.LastIndexOf('/');
            files.Add(new PackFile(
                "(built-in) Packs/" + relative,
                slash < 0 ? "" : relative[..slash],
                slash < 0 ? relative : relative[(slash + 1)..],
                reader.ReadToEnd()));
        }

        return files;
    }

    /// <summary>The YAML files of a folder: files at its root, and one level of pack folders.</summary>
    public static List<PackFile> FromFolder(string folder)
    {
        var full = System.IO.Path.GetFullPath(folder);
        var files = new List<PackFile>();
        foreach (var file in Directory.EnumerateFiles(full, "*.yaml").Concat(Directory.EnumerateFiles(full, "*.yml")).Order(StringComparer.Ordinal))
        {
            files.Add(new PackFile(file, "", System.IO.Path.GetFileName(file), File.ReadAllText(file)));
        }

        foreach (var dir in Directory.EnumerateDirectories(full).Order(StringComparer.Ordinal))
        {
            var pack = System.IO.Path.GetFileName(dir);
            foreach (var file in Directory.EnumerateFiles(dir, "*.yaml").Concat(Directory.EnumerateFiles(dir, "*.yml")).Order(StringComparer.Ordinal))
            {
                files.Add(new PackFile(file, pack, System.IO.Path.GetFileName(file), File.ReadAllText(file)));
            }
        }

        return files;
    }

    internal static Assembly Assembly => typeof(PackFile).Assembly;
}
