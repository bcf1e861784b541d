using YamlDotNet.RepresentationModel;

namespace CoachBot.Coaching.Rules;

/// <summary>
/// A rule's <c>match</c> (or one <c>unless</c> entry) as read from YAML, before compiling. Kept as
/// data so organisation overrides can add or remove phrases before anything is built.
/// </summary>
internal sealed class MatchSpec
{
    public static readonly string[] Keys = ["phrases", "lexicon", "starts_with", "regex", "sequence", "count", "question_type", "note", "any", "not"];

    /// <summary>The widest gap a sequence may allow; wider than a long sentence means "anywhere", which <c>all</c> of phrases says better.</summary>
    public const int MaxGap = 50;

    public required string Field { get; init; }

    public List<string>? Phrases { get; set; }

    public List<string>? Lexicon { get; init; }

    public List<string>? StartsWith { get; init; }

    public string? Regex { get; init; }

    public List<string>? SequenceSteps { get; init; }

    public int SequenceMaxGap { get; init; } = 4;

    public string? CountOf { get; init; }

    public List<string>? CountPhrases { get; init; }

    public string? CountRegex { get; init; }

    public int CountMin { get; init; }

    public int CountMax { get; init; } = int.MaxValue;

    public List<string>? QuestionTypes { get; init; }

    public List<string>? NoteMissing { get; init; }

    public List<string>? NoteHas { get; init; }

    public string? NoteGoalIs { get; init; }

    public List<MatchSpec>? Any { get; init; }

    public MatchSpec? Not { get; init; }

    public bool IsEmpty => Phrases is null && Lexicon is null && StartsWith is null && Regex is null && SequenceSteps is null
        && CountOf is null && QuestionTypes is null && NoteMissing is null && NoteHas is null && NoteGoalIs is null
        && Any is null && Not is null;

    public static MatchSpec? Read(YamlNode node, string field, YamlReader yaml)
    {
        if (node is not YamlMappingNode map)
        {
            yaml.Error(node, field, "expected a mapping of match types (phrases, regex, sequence, ...)");
            return null;
        }

        yaml.OnlyKeys(map, field, Keys);
        var sequence = YamlReader.Child(map, "sequence") as YamlMappingNode;
        var count = YamlReader.Child(map, "count") as YamlMappingNode;
        var note = YamlReader.Child(map, "note") as YamlMappingNode;
        if (YamlReader.Child(map, "sequence") is { } s && sequence is null)
        {
            yaml.Error(s, field + ".sequence", "expected {steps: [...], max_gap: N}");
        }

        if (YamlReader.Child(map, "count") is { } c && count is null)
        {
            yaml.Error(c, field + ".count", "expected {of: ..., min: N, max: N}");
        }

        if (YamlReader.Child(map, "note") is { } n && note is null)
        {
            yaml.Error(n, field + ".note", "expected {missing: [...]}, {has: [...]} or {goal_is: ...}");
        }

        if (sequence is not null)
        {
            yaml.OnlyKeys(sequence, field + ".sequence", "steps", "max_gap");
        }

        if (count is not null)
        {
            yaml.OnlyKeys(count, field + ".count", "of", "phrases", "regex", "min", "max");
        }

        if (note is not null)
        {
            yaml.OnlyKeys(note, field + ".note", "missing", "has", "goal_is");
        }

        var spec = new MatchSpec
        {
            Field = field,
            Phrases = yaml.Texts(map, "phrases", field, required: false),
            Lexicon = yaml.Texts(map, "lexicon", field, required: false),
            StartsWith = yaml.Texts(map, "starts_with", field, required: false),
            Regex = yaml.Text(map, "regex", field, required: false),
            SequenceSteps = sequence is null ? null : yaml.Texts(sequence, "steps", field + ".sequence", required: true),
            SequenceMaxGap = sequence is null ? 4 : Math.Min(yaml.Number(sequence, "max_gap", field + ".sequence") ?? 4, MaxGap),
            CountOf = count is null ? null : yaml.Text(count, "of", field + ".count", required: true),
            CountPhrases = count is null ? null : yaml.Texts(count, "phrases", field + ".count", required: false),
            CountRegex = count is null ? null : yaml.Text(count, "regex", field + ".count", required: false),
            CountMin = count is null ? 0 : yaml.Number(count, "min", field + ".count") ?? 0,
            CountMax = count is null ? int.MaxValue : yaml.Number(count, "max", field + ".count") ?? int.MaxValue,
            QuestionTypes = yaml.Texts(map, "question_type", field, required: false),
            NoteMissing = note is null ? null : yaml.Texts(note, "missing", field + ".note", required: false),
            NoteHas = note is null ? null : yaml.Texts(note, "has", field + ".note", required: false),
            NoteGoalIs = note is null ? null : yaml.Text(note, "goal_is", field + ".note", required: false),
            Any = ReadAny(YamlReader.Child(map, "any"), field + ".any", yaml),
            Not = YamlReader.Child(map, "not") is { } not ? Read(not, field + ".not", yaml) : null,
        };

        if (spec.IsEmpty && map.Children.Count == 0)
        {
            yaml.Error(node, field, "is empty; give at least one match type");
        }

        return spec;
    }

    public static List<MatchSpec>? ReadAny(YamlNode? node, string field, YamlReader yaml)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not YamlSequenceNode list)
        {
            yaml.Error(node, field, "expected a list of match mappings");
            return null;
        }

        var specs = new List<MatchSpec>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (Read(list.Children[i], $"{field}[{i}]", yaml) is { } spec)
            {
                specs.Add(spec);
            }
        }

        return specs;
    }
}
