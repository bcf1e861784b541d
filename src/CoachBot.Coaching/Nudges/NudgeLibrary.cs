using CoachBot.Coaching.Rules;
using YamlDotNet.RepresentationModel;

namespace CoachBot.Coaching.Nudges;

/// <summary>
/// The daily nudges, loaded from the YAML embedded in this assembly. Loading checks every entry,
/// so a bad edit fails the build's tests and the host's start-up rather than a morning post.
/// </summary>
public sealed class NudgeLibrary
{
    public static readonly IReadOnlyList<string> Themes =
        ["trust-equation", "self-orientation", "call-goals", "curiosity", "challenger", "paradoxes"];

    private const string Resource = "Nudges/nudges.yaml";

    private NudgeLibrary(IReadOnlyList<Nudge> nudges) => All = nudges;

    public IReadOnlyList<Nudge> All { get; }

    public Nudge? Find(string id) => All.FirstOrDefault(n => n.Id == id);

    public static NudgeLibrary LoadDefault()
    {
        using var stream = typeof(NudgeLibrary).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The nudge library '{Resource}' is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "(built-in) " + Resource);
    }

    /// <exception cref="RulePackException">The YAML is not a valid nudge library; the message names each problem.</exception>
    public static NudgeLibrary Parse(string yamlText, string file)
    {
        var errors = new List<RulePackError>();
        var yaml = new YamlReader(file, errors);
        var nudges = new List<Nudge>();
        if (yaml.Document(yamlText) is { } root)
        {
            yaml.OnlyKeys(root, "", "nudges");
            if (YamlReader.Child(root, "nudges") is YamlSequenceNode list)
            {
                for (var i = 0; i < list.Children.Count; i++)
                {
                    if (Read(list.Children[i], $"nudges[{i}]", yaml) is { } nudge)
                    {
                        nudges.Add(nudge);
                    }
                }
            }
            else
            {
                yaml.Error("nudges", "is required: a list of nudges");
            }
        }

        foreach (var duplicate in nudges.GroupBy(n => n.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add(new RulePackError(file, "id", $"'{duplicate.Key}' is used {duplicate.Count()} times"));
        }

        if (errors.Count > 0)
        {
            throw new RulePackException(errors);
        }

        return new NudgeLibrary(nudges);
    }

    private static Nudge? Read(YamlNode node, string where, YamlReader yaml)
    {
        if (node is not YamlMappingNode map)
        {
            yaml.Error(node, where, "expected a mapping with id, theme, title, tip, practice, source");
            return null;
        }

        yaml.OnlyKeys(map, where, "id", "theme", "title", "tip", "practice", "source");
        var id = yaml.Text(map, "id", where, required: true);
        var theme = yaml.Text(map, "theme", where, required: true);
        var title = yaml.Text(map, "title", where, required: true);
        var tip = yaml.Text(map, "tip", where, required: true);
        var practice = yaml.Text(map, "practice", where, required: true);
        var source = yaml.Text(map, "source", where, required: true);
        if (theme is not null && !Themes.Contains(theme, StringComparer.Ordinal))
        {
            yaml.Error(node, where + ".theme", $"'{theme}' is not one of {string.Join(", ", Themes)}");
            return null;
        }

        return id is null || theme is null || title is null || tip is null || practice is null || source is null
            ? null
            : new Nudge(id, theme, title, tip, practice, source);
    }
}
