using CoachBot.Coaching.Messages;
using YamlDotNet.RepresentationModel;

namespace CoachBot.Coaching.Rules;

/// <summary>A rule file as read, before overrides are applied and matchers compiled.</summary>
internal sealed class RuleDefinition
{
    public static readonly string[] Keys =
        ["id", "level", "confidence", "category", "trust_factor", "applies_to", "match", "unless", "message", "why", "ask", "suggestions", "source", "examples"];

    public required string File { get; init; }

    public required string Id { get; init; }

    public required string Pack { get; init; }

    public Level Level { get; set; }

    public Confidence Confidence { get; set; }

    public required string Category { get; init; }

    public TrustFactor TrustFactor { get; set; }

    public required List<InputKind> AppliesTo { get; init; }

    public required MatchSpec Match { get; init; }

    public List<MatchSpec>? Unless { get; init; }

    public required string Message { get; set; }

    public required string Why { get; set; }

    public required string Ask { get; set; }

    public required List<string> Suggestions { get; set; }

    /// <summary>For each suggestion, the templates that name the draft's company, person, topic or product.</summary>
    public required List<IReadOnlyList<string>> Templates { get; set; }

    public required string Source { get; set; }

    public required List<string> Fire { get; init; }

    public required List<string> Silent { get; init; }

    public static RuleDefinition? Read(PackFile file, YamlMappingNode map, YamlReader yaml)
    {
        yaml.OnlyKeys(map, "", Keys);
        var id = yaml.Text(map, "id", "", required: true);
        var levelText = yaml.Text(map, "level", "", required: true);
        var confidenceText = yaml.Text(map, "confidence", "", required: true);
        var category = yaml.Text(map, "category", "", required: true);
        var factorText = yaml.Text(map, "trust_factor", "", required: true);
        var appliesText = yaml.Texts(map, "applies_to", "", required: false) ?? ["question", "call_note", "message"];
        var message = yaml.Text(map, "message", "", required: true);
        var why = yaml.Text(map, "why", "", required: true);
        var ask = yaml.Text(map, "ask", "", required: true);
        var rewrites = yaml.Suggestions(map, "suggestions", "", required: true);
        var suggestions = rewrites?.Examples;
        var source = yaml.Text(map, "source", "", required: true);
        var matchNode = YamlReader.Child(map, "match");
        var match = matchNode is null ? null : MatchSpec.Read(matchNode, "match", yaml);
        var unless = MatchSpec.ReadAny(YamlReader.Child(map, "unless"), "unless", yaml);
        List<string>? fire = null, silent = null;
        if (YamlReader.Child(map, "examples") is YamlMappingNode examples)
        {
            yaml.OnlyKeys(examples, "examples", "fire", "silent");
            fire = yaml.Texts(examples, "fire", "examples", required: true);
            silent = yaml.Texts(examples, "silent", "examples", required: true);
        }
        else
        {
            yaml.Error("examples", "is required: every rule carries examples that must fire and must stay silent");
        }

        if (matchNode is null)
        {
            yaml.Error("match", "is required");
        }

        var ok = true;
        if (id is not null && (!id.StartsWith(file.Pack + ".", StringComparison.Ordinal) || id.Length == file.Pack.Length + 1))
        {
            yaml.Error("id", $"'{id}' must be '{file.Pack}.<name>': the pack folder's name, a dot, then the rule's name");
            ok = false;
        }

        if (!WireNames.TryParseLevel(levelText, out var level) && levelText is not null)
        {
            yaml.Error("level", $"'{levelText}' is not one of {WireNames.Names<Level>(WireNames.Of)}");
            ok = false;
        }

        if (!WireNames.TryParseConfidence(confidenceText, out var confidence) && confidenceText is not null)
        {
            yaml.Error("confidence", $"'{confidenceText}' is not one of {WireNames.Names<Confidence>(WireNames.Of)}");
            ok = false;
        }

        if (category is not null && !Categories.IsKnown(category))
        {
            yaml.Error("category", $"'{category}' is not a known category; use one of: {string.Join(", ", Categories.All)}");
            ok = false;
        }

        if (!WireNames.TryParseTrustFactor(factorText, out var factor) && factorText is not null)
        {
            yaml.Error("trust_factor", $"'{factorText}' is not one of {WireNames.Names<TrustFactor>(WireNames.Of)}");
            ok = false;
        }

        var applies = new List<InputKind>();
        foreach (var text in appliesText)
        {
            if (WireNames.TryParseKind(text, out var kind) && text.Trim() is "question" or "call_note" or "message")
            {
                applies.Add(kind);
            }
            else
            {
                yaml.Error("applies_to", $"'{text}' is not one of {WireNames.Names<InputKind>(WireNames.Of)}");
                ok = false;
            }
        }

        if (suggestions is { Count: 0 or > 3 })
        {
            yaml.Error("suggestions", $"has {suggestions.Count}; give one to three rewrites");
            ok = false;
        }

        if (fire is { Count: 0 })
        {
            yaml.Error("examples.fire", "is empty; give at least one text the rule must fire on");
            ok = false;
        }

        if (silent is { Count: 0 })
        {
            yaml.Error("examples.silent", "is empty; give at least one text the rule must stay silent on");
            ok = false;
        }

        if (!ok || id is null || levelText is null || confidenceText is null || category is null || factorText is null
            || message is null || why is null || ask is null || suggestions is null || source is null
            || match is null || fire is null || silent is null)
        {
            return null;
        }

        return new RuleDefinition
        {
            File = file.Path,
            Id = id,
            Pack = file.Pack,
            Level = level,
            Confidence = confidence,
            Category = category,
            TrustFactor = factor,
            AppliesTo = applies,
            Match = match,
            Unless = unless,
            Message = message,
            Why = why,
            Ask = ask,
            Suggestions = suggestions,
            Templates = rewrites!.Templates,
            Source = source,
            Fire = fire,
            Silent = silent,
        };
    }
}
