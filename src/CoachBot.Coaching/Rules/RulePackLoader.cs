using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Text;
using YamlDotNet.RepresentationModel;

namespace CoachBot.Coaching.Rules;

/// <summary>
/// Loads the default rule packs and an organisation's overrides, checks every rule's own examples,
/// and builds the <see cref="RuleEngine"/>. Any problem anywhere stops the load with a
/// <see cref="RulePackException"/> that names each file, field and reason.
/// </summary>
public static class RulePackLoader
{
    private const string LexiconFile = "lexicon.yaml";
    private const string OrgFile = "org.yaml";
    private const string PackFileName = "pack.yaml";
    private const string RejectedRuleId = "org.rejected-phrase";

    /// <summary>Loads the built-in packs, then the overrides folder if one is given.</summary>
    /// <param name="overridesPath">An organisation's folder: extra packs in sub-folders and an optional org.yaml.</param>
    /// <param name="defaultPacksPath">Read the default packs from this folder instead of the assembly (for pack authors).</param>
    /// <param name="overridesSource">What named the overrides folder, for error messages (a setting or a command-line option).</param>
    public static RuleEngine Load(string? overridesPath = null, string? defaultPacksPath = null, string overridesSource = "Coaching:OverridesPath")
    {
        var errors = new List<RulePackError>();
        var defaults = defaultPacksPath is null ? PackFile.Embedded() : ReadFolder(defaultPacksPath, "--default-packs", errors);
        var overrides = overridesPath is null ? [] : ReadFolder(overridesPath, overridesSource, errors);
        Throw(errors);

        var lexicon = ReadLexicon(defaults, errors);
        var packs = new List<string>();
        var rules = new List<RuleDefinition>();
        ReadPacks(defaults, packs, rules, errors);
        ReadPacks(overrides, packs, rules, errors);

        var org = overrides.FirstOrDefault(f => f.Pack.Length == 0 && f.Name is OrgFile or "org.yml");
        var settings = org is null ? OrgSettings.None : OrgSettings.Read(org, errors);
        foreach (var duplicate in rules.GroupBy(r => r.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add(new RulePackError(duplicate.Last().File, "id", $"'{duplicate.Key}' is already used by {duplicate.First().File}"));
        }

        Throw(errors);
        settings.Apply(org?.Path ?? "", lexicon, packs, rules, errors);
        Throw(errors);

        var engine = Build(lexicon, packs, rules, settings, errors);
        Throw(errors);
        CheckExamples(engine, rules, settings, errors);
        Throw(errors);
        return engine;
    }

    private static List<PackFile> ReadFolder(string path, string setting, List<RulePackError> errors)
    {
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            errors.Add(new RulePackError(full, setting, "folder not found"));
            return [];
        }

        return PackFile.FromFolder(full);
    }

    private static Dictionary<string, List<string>> ReadLexicon(List<PackFile> files, List<RulePackError> errors)
    {
        var lexicon = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var file = files.FirstOrDefault(f => f.Pack.Length == 0 && f.Name == LexiconFile);
        if (file is null)
        {
            errors.Add(new RulePackError(LexiconFile, "(file)", "the default packs need a lexicon.yaml at their root"));
            return lexicon;
        }

        var yaml = new YamlReader(file.Path, errors);
        if (yaml.Document(file.Content) is not { } root)
        {
            return lexicon;
        }

        foreach (var (key, value) in root.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (yaml.Texts(value, name) is { } list)
            {
                lexicon[name] = list;
            }
        }

        foreach (var reserved in ReservedLists.All.Where(r => !lexicon.ContainsKey(r)))
        {
            errors.Add(new RulePackError(file.Path, reserved, "is required: the question classifier and call-note reader use it"));
        }

        return lexicon;
    }

    private static void ReadPacks(List<PackFile> files, List<string> packs, List<RuleDefinition> rules, List<RulePackError> errors)
    {
        foreach (var pack in files.Where(f => f.Pack.Length > 0).GroupBy(f => f.Pack, StringComparer.Ordinal))
        {
            var header = pack.FirstOrDefault(f => f.Name == PackFileName);
            if (header is null)
            {
                errors.Add(new RulePackError(pack.First().Path, "pack.yaml", $"the folder '{pack.Key}' has rule files but no pack.yaml"));
                continue;
            }

            var yaml = new YamlReader(header.Path, errors);
            if (yaml.Document(header.Content) is { } root)
            {
                yaml.OnlyKeys(root, "", "id", "name", "description");
                var id = yaml.Text(root, "id", "", required: true);
                yaml.Text(root, "name", "", required: true);
                if (id is not null && id != pack.Key)
                {
                    yaml.Error("id", $"'{id}' must equal the folder's name '{pack.Key}'");
                }
            }

            if (packs.Contains(pack.Key, StringComparer.Ordinal))
            {
                errors.Add(new RulePackError(header.Path, "id", $"a pack named '{pack.Key}' is already loaded"));
                continue;
            }

            packs.Add(pack.Key);
            foreach (var file in pack.Where(f => f.Name != PackFileName))
            {
                var reader = new YamlReader(file.Path, errors);
                if (reader.Document(file.Content) is { } map && RuleDefinition.Read(file, map, reader) is { } rule)
                {
                    rules.Add(rule);
                }
            }
        }
    }

    private static RuleEngine Build(Dictionary<string, List<string>> lexicon, List<string> packs, List<RuleDefinition> definitions, OrgSettings settings, List<RulePackError> errors)
    {
        var vocabulary = new Vocabulary();
        var index = new PhraseIndex(vocabulary);
        Analyzer? analyzer = null;
        var compiler = new RuleCompiler(index, lexicon, () => analyzer!, errors);
        var reserved = ReservedLists.All.ToDictionary(name => name, compiler.LexiconSet, StringComparer.Ordinal);
        var accepted = settings.Accept.Count > 0 ? index.AddSet(settings.Accept) : -1;

        var rules = new List<Rule>();
        foreach (var definition in definitions.Where(d => !settings.IsDisabled(d)))
        {
            var match = compiler.Compile(definition.Match, definition.File);
            var unless = definition.Unless is { Count: > 0 } list
                ? new Matchers.AnyMatcher(list.Select(u => compiler.Compile(u, definition.File, readsContext: true)).OfType<Matchers.Matcher>())
                : null;
            if (match is null)
            {
                errors.Add(new RulePackError(definition.File, "match", "has no match type the engine can run"));
                continue;
            }

            rules.Add(new Rule(ToText(definition), match, unless));
        }

        if (settings.Reject.Count > 0)
        {
            rules.Add(RejectedPhraseRule(settings, index.AddSet(settings.Reject)));
        }

        vocabulary.Freeze();
        index.Freeze();
        analyzer = new Analyzer(vocabulary, index, reserved, accepted);
        return new RuleEngine(analyzer, rules, settings.MinimumConfidence, packs);
    }

    private static void CheckExamples(RuleEngine engine, List<RuleDefinition> definitions, OrgSettings settings, List<RulePackError> errors)
    {
        var byId = definitions.ToDictionary(d => d.Id, StringComparer.Ordinal);
        foreach (var result in RuleExamples.Run(engine))
        {
            if (!result.Passed)
            {
                var file = byId.TryGetValue(result.Rule.Id, out var definition) ? definition.File : settings.File;
                errors.Add(new RulePackError(file, $"examples.{(result.ShouldFire ? "fire" : "silent")}[{result.Index}]",
                    result.ShouldFire ? $"the rule did not fire on \"{result.Example}\"" : $"the rule fired on \"{result.Example}\""));
            }
        }
    }

    private static RuleText ToText(RuleDefinition d) => new(
        d.Id, d.Pack, d.File, d.Level, d.Confidence, d.Category, d.TrustFactor, d.AppliesTo,
        d.Message, d.Why, d.Ask, d.Suggestions, d.Source, d.Fire, d.Silent, d.Templates);

    private static Rule RejectedPhraseRule(OrgSettings settings, int set) => new(
        new RuleText(
            RejectedRuleId,
            "org",
            settings.File,
            Level.Concern,
            Confidence.High,
            Categories.OrgRejected,
            TrustFactor.Credibility,
            [InputKind.Question, InputKind.CallNote, InputKind.Message],
            "This uses a phrase your organisation has asked reps not to use.",
            "Your team agreed these words cost trust with customers, so they are kept out of what reps send.",
            "How would you say this in your own words, without that phrase?",
            ["Say the same thing in plain words that name what the customer gets."],
            settings.File,
            settings.Reject,
            []),
        new Matchers.PhraseMatcher(set),
        null);

    private static void Throw(List<RulePackError> errors)
    {
        if (errors.Count > 0)
        {
            throw new RulePackException(errors);
        }
    }
}
