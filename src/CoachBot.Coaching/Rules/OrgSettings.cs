using CoachBot.Coaching.Messages;
using YamlDotNet.RepresentationModel;

namespace CoachBot.Coaching.Rules;

/// <summary>
/// An organisation's <c>org.yaml</c>: packs and rules switched off, rules re-levelled or re-worded,
/// phrases added or removed, lexicon lists extended, accepted and rejected words. Data only.
/// </summary>
internal sealed class OrgSettings
{
    private static readonly string[] RuleKeys =
        ["level", "confidence", "message", "why", "ask", "suggestions", "source", "phrases_add", "phrases_remove", "examples"];

    private readonly List<string> _disabledPacks = [];
    private readonly List<string> _disabledRules = [];
    private readonly Dictionary<string, (YamlMappingNode Map, YamlReader Yaml)> _rulePatches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (List<string> Add, List<string> Remove)> _lexicon = new(StringComparer.Ordinal);

    public static OrgSettings None { get; } = new() { File = "" };

    public required string File { get; init; }

    public Confidence MinimumConfidence { get; private set; } = Confidence.Low;

    public List<string> Accept { get; } = [];

    public List<string> Reject { get; } = [];

    public bool IsDisabled(RuleDefinition rule) =>
        _disabledPacks.Contains(rule.Pack, StringComparer.Ordinal) || _disabledRules.Contains(rule.Id, StringComparer.Ordinal);

    public static OrgSettings Read(PackFile file, List<RulePackError> errors)
    {
        var settings = new OrgSettings { File = file.Path };
        var yaml = new YamlReader(file.Path, errors);
        if (yaml.Document(file.Content) is not { } root)
        {
            return settings;
        }

        yaml.OnlyKeys(root, "", "disable_packs", "disable_rules", "min_confidence", "rules", "lexicon", "vocabulary");
        settings._disabledPacks.AddRange(yaml.Texts(root, "disable_packs", "", required: false) ?? []);
        settings._disabledRules.AddRange(yaml.Texts(root, "disable_rules", "", required: false) ?? []);
        if (yaml.Text(root, "min_confidence", "", required: false) is { } min)
        {
            if (WireNames.TryParseConfidence(min, out var confidence))
            {
                settings.MinimumConfidence = confidence;
            }
            else
            {
                yaml.Error("min_confidence", $"'{min}' is not one of {WireNames.Names<Confidence>(WireNames.Of)}");
            }
        }

        if (YamlReader.Child(root, "rules") is { } rules)
        {
            if (rules is YamlMappingNode ruleMap)
            {
                foreach (var (key, value) in ruleMap.Children)
                {
                    var id = (key as YamlScalarNode)?.Value ?? "?";
                    if (value is YamlMappingNode patch)
                    {
                        yaml.OnlyKeys(patch, "rules." + id, RuleKeys);
                        settings._rulePatches[id] = (patch, yaml);
                    }
                    else
                    {
                        yaml.Error(value, "rules." + id, "expected a mapping of the fields to change");
                    }
                }
            }
            else
            {
                yaml.Error(rules, "rules", "expected a mapping of rule id to changes");
            }
        }

        if (YamlReader.Child(root, "lexicon") is { } lexiconNode and not YamlMappingNode)
        {
            yaml.Error(lexiconNode, "lexicon", "expected a mapping of list name to {add: [...], remove: [...]}");
        }

        if (YamlReader.Child(root, "vocabulary") is { } vocabularyNode and not YamlMappingNode)
        {
            yaml.Error(vocabularyNode, "vocabulary", "expected {accept: [...], reject: [...]}");
        }

        if (YamlReader.Child(root, "lexicon") is YamlMappingNode lexicon)
        {
            foreach (var (key, value) in lexicon.Children)
            {
                var name = (key as YamlScalarNode)?.Value ?? "?";
                if (value is YamlMappingNode change)
                {
                    yaml.OnlyKeys(change, "lexicon." + name, "add", "remove");
                    settings._lexicon[name] = (
                        yaml.Texts(change, "add", "lexicon." + name, required: false) ?? [],
                        yaml.Texts(change, "remove", "lexicon." + name, required: false) ?? []);
                }
                else
                {
                    yaml.Error(value, "lexicon." + name, "expected {add: [...], remove: [...]}");
                }
            }
        }

        if (YamlReader.Child(root, "vocabulary") is YamlMappingNode vocabulary)
        {
            yaml.OnlyKeys(vocabulary, "vocabulary", "accept", "reject");
            settings.Accept.AddRange(yaml.Texts(vocabulary, "accept", "vocabulary", required: false) ?? []);
            settings.Reject.AddRange(yaml.Texts(vocabulary, "reject", "vocabulary", required: false) ?? []);
        }

        return settings;
    }

    public void Apply(string file, Dictionary<string, List<string>> lexicon, List<string> packs, List<RuleDefinition> rules, List<RulePackError> errors)
    {
        foreach (var pack in _disabledPacks.Where(p => !packs.Contains(p, StringComparer.Ordinal)))
        {
            errors.Add(new RulePackError(file, "disable_packs", $"no pack is named '{pack}'"));
        }

        var byId = rules.ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var id in _disabledRules.Where(id => !byId.ContainsKey(id)))
        {
            errors.Add(new RulePackError(file, "disable_rules", $"no rule has the id '{id}'"));
        }

        foreach (var (name, (add, remove)) in _lexicon)
        {
            // A new name would be a list no rule reads: almost always a typo of an existing one.
            if (!lexicon.TryGetValue(name, out var list))
            {
                errors.Add(new RulePackError(file, "lexicon." + name, "no lexicon list has this name"));
                continue;
            }

            foreach (var phrase in remove.Where(p => !list.Remove(p)))
            {
                errors.Add(new RulePackError(file, $"lexicon.{name}.remove", $"'{phrase}' is not in the list"));
            }

            list.AddRange(add);
        }

        foreach (var (id, (patch, yaml)) in _rulePatches)
        {
            if (!byId.TryGetValue(id, out var rule))
            {
                errors.Add(new RulePackError(file, "rules." + id, "no rule has this id"));
                continue;
            }

            Patch(rule, patch, yaml, "rules." + id);
        }
    }

    private static void Patch(RuleDefinition rule, YamlMappingNode patch, YamlReader yaml, string where)
    {
        if (yaml.Text(patch, "level", where, required: false) is { } level)
        {
            if (WireNames.TryParseLevel(level, out var parsed))
            {
                rule.Level = parsed;
            }
            else
            {
                yaml.Error(where + ".level", $"'{level}' is not one of {WireNames.Names<Level>(WireNames.Of)}");
            }
        }

        if (yaml.Text(patch, "confidence", where, required: false) is { } confidence)
        {
            if (WireNames.TryParseConfidence(confidence, out var parsed))
            {
                rule.Confidence = parsed;
            }
            else
            {
                yaml.Error(where + ".confidence", $"'{confidence}' is not one of {WireNames.Names<Confidence>(WireNames.Of)}");
            }
        }

        rule.Message = yaml.Text(patch, "message", where, required: false) ?? rule.Message;
        rule.Why = yaml.Text(patch, "why", where, required: false) ?? rule.Why;
        rule.Ask = yaml.Text(patch, "ask", where, required: false) ?? rule.Ask;
        rule.Source = yaml.Text(patch, "source", where, required: false) ?? rule.Source;
        if (yaml.Suggestions(patch, "suggestions", where, required: false) is { } suggestions)
        {
            if (suggestions.Examples.Count is 0 or > 3)
            {
                yaml.Error(where + ".suggestions", "give one to three rewrites");
            }
            else
            {
                rule.Suggestions = suggestions.Examples;
                rule.Templates = suggestions.Templates;
            }
        }

        var add = yaml.Texts(patch, "phrases_add", where, required: false);
        var remove = yaml.Texts(patch, "phrases_remove", where, required: false);
        if (add is not null || remove is not null)
        {
            // The rule's phrase list: at the top of its match, or the first one among its "any" alternatives.
            var target = rule.Match.Phrases is not null ? rule.Match : rule.Match.Any?.FirstOrDefault(a => a.Phrases is not null);
            if (target?.Phrases is not { } phrases)
            {
                yaml.Error(where, "phrases_add and phrases_remove need a rule whose match has a phrases list");
            }
            else
            {
                var list = new List<string>(phrases);
                foreach (var phrase in remove ?? [])
                {
                    if (!list.Remove(phrase))
                    {
                        yaml.Error(where + ".phrases_remove", $"'{phrase}' is not one of the rule's phrases");
                    }
                }

                list.AddRange(add ?? []);
                if (list.Count == 0)
                {
                    yaml.Error(where + ".phrases_remove", "would leave the rule with no phrases; switch it off with disable_rules instead");
                }

                target.Phrases = list;
            }
        }

        if (YamlReader.Child(patch, "examples") is YamlMappingNode examples)
        {
            yaml.OnlyKeys(examples, where + ".examples", "fire", "silent");
            rule.Fire.AddRange(yaml.Texts(examples, "fire", where + ".examples", required: false) ?? []);
            rule.Silent.AddRange(yaml.Texts(examples, "silent", where + ".examples", required: false) ?? []);
        }
    }
}
