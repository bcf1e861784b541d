using CoachBot.Coaching.Rules;

namespace CoachBot.Coaching.Tests;

public sealed class RulePackLoaderTests
{
    private const string Valid = """
        id: acme.slow
        level: info
        confidence: low
        category: message-anti-pattern
        trust_factor: credibility
        applies_to: [message]
        match:
          regex: "(a+)+$"
        message: m
        why: w
        ask: a?
        suggestions: [s]
        source: https://example.com
        examples:
          fire: ["Hi Lee, aaaa"]
          silent: ["Hi Lee, bbbb!"]
        """;

    private static RulePackError LoadBroken(string ruleYaml)
    {
        using var folder = new TempFolder().With("acme/pack.yaml", "id: acme\nname: Acme\n").With("acme/rule.yaml", ruleYaml);
        var ex = Assert.Throws<RulePackException>(() => RulePackLoader.Load(folder.Path));
        Assert.Contains("rule.yaml", ex.Message, StringComparison.Ordinal);
        return ex.Errors[0];
    }

    [Theory]
    [InlineData("level: info\n", "level: loud\n", "level", "'loud' is not one of praise, info, nudge, concern")]
    [InlineData("category: message-anti-pattern\n", "category: vibes\n", "category", "'vibes' is not a known category")]
    [InlineData("  regex: \"(a+)+$\"\n", "  regex: \"(unclosed\"\n", "match.regex", "not a valid regular expression")]
    [InlineData("  regex: \"(a+)+$\"\n", "  phrasez: [x]\n", "match.phrasez", "unknown field")]
    [InlineData("message: m\n", "", "message", "is required")]
    [InlineData("id: acme.slow\n", "id: other.slow\n", "id", "must be 'acme.<name>'")]
    [InlineData("  silent: [\"Hi Lee, bbbb!\"]", "  silent: []", "examples.silent", "is empty")]
    [InlineData("  fire: [\"Hi Lee, aaaa\"]\n", "  fire: [\"Hi Lee, nothing here!\"]\n", "examples.fire[0]", "did not fire")]
    [InlineData("suggestions: [s]\n", "suggestions: [a, b, c, d]\n", "suggestions", "one to three")]
    [InlineData("why: w\n", "why: [w\n", "(", "not valid YAML")]
    [InlineData("suggestions: [s]\n", "suggestions:\n  - example: s\n    template: \"Ask {customer}.\"\n", "suggestions[0].template", "uses {customer}")]
    [InlineData("suggestions: [s]\n", "suggestions:\n  - template: \"Ask {company}.\"\n", "suggestions[0].example", "is required")]
    public void A_broken_rule_names_the_file_the_field_and_why(string replace, string with, string field, string reason)
    {
        var error = LoadBroken(Valid.Replace(replace, with, StringComparison.Ordinal));

        Assert.EndsWith("rule.yaml", error.File, StringComparison.Ordinal);
        Assert.StartsWith(field, error.Field, StringComparison.Ordinal);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_without_examples_is_refused()
    {
        var yaml = Valid[..Valid.IndexOf("examples:", StringComparison.Ordinal)];

        var error = LoadBroken(yaml);

        Assert.Equal("examples", error.Field);
    }

    [Fact]
    public void A_catastrophic_regex_cannot_hang_the_bot()
    {
        using var folder = new TempFolder().With("acme/pack.yaml", "id: acme\nname: Acme\n").With("acme/rule.yaml", Valid);
        var engine = RulePackLoader.Load(folder.Path);

        var findings = engine.Evaluate("Hi Lee, " + new string('a', 5000) + "!").Findings;

        Assert.DoesNotContain(findings, f => f.Rule == "acme.slow");
    }

    [Fact]
    public void A_backtracking_regex_the_linear_engine_cannot_run_is_bounded_by_its_timeout()
    {
        var lookahead = Valid.Replace("regex: \"(a+)+$\"", "regex: \"(?=(a+)+$)a\"", StringComparison.Ordinal);
        using var folder = new TempFolder().With("acme/pack.yaml", "id: acme\nname: Acme\n").With("acme/rule.yaml", lookahead);
        var engine = RulePackLoader.Load(folder.Path);

        var findings = engine.Evaluate("Hi Lee, " + new string('a', 40) + "!").Findings;

        Assert.DoesNotContain(findings, f => f.Rule == "acme.slow");
    }

    [Fact]
    public void A_pack_folder_without_pack_yaml_is_refused()
    {
        using var folder = new TempFolder().With("acme/rule.yaml", Valid);

        var ex = Assert.Throws<RulePackException>(() => RulePackLoader.Load(folder.Path));

        Assert.Contains("no pack.yaml", Assert.Single(ex.Errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_id_used_twice_is_refused()
    {
        using var folder = new TempFolder()
            .With("acme/pack.yaml", "id: acme\nname: Acme\n")
            .With("acme/one.yaml", Valid)
            .With("acme/two.yaml", Valid);

        var ex = Assert.Throws<RulePackException>(() => RulePackLoader.Load(folder.Path));

        Assert.Contains(ex.Errors, e => e.Field == "id" && e.Reason.Contains("already used", StringComparison.Ordinal));
    }
}
