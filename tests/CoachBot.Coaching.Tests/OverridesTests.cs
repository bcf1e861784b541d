using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Rules;

namespace CoachBot.Coaching.Tests;

public sealed class OverridesTests
{
    private const string PackYaml = "id: acme\nname: Acme rules\ndescription: Our own.\n";

    private const string ClaimRule = """
        id: acme.best-in-class
        level: nudge
        confidence: high
        category: message-anti-pattern
        trust_factor: credibility
        applies_to: [message]
        match:
          phrases: ["best in class", "world-class"]
        message: This may sound like a claim the customer can't check.
        why: Claims without proof cost credibility.
        ask: What proof could you offer instead?
        suggestions: ["Teams like yours cut onboarding from six weeks to two; I can share how."]
        source: https://example.com/acme-playbook
        examples:
          fire: ["Our platform is best in class, you'll see."]
          silent: ["Our platform cut onboarding to two weeks for teams like yours."]
        """;

    [Fact]
    public void Loads_an_organisations_own_pack_and_runs_its_examples()
    {
        using var folder = new TempFolder().With("acme/pack.yaml", PackYaml).With("acme/best-in-class.yaml", ClaimRule);

        var engine = RulePackLoader.Load(folder.Path);

        Assert.Contains("acme", engine.Packs);
        Assert.Contains(engine.Evaluate("Hi Lee, our tool is world-class, you should try it.").Findings, f => f.Rule == "acme.best-in-class");
    }

    [Fact]
    public void Switches_off_a_pack_and_a_single_rule()
    {
        using var folder = new TempFolder().With("org.yaml", "disable_packs: [good-questions]\ndisable_rules: [self-serving.budget]\n");

        var engine = RulePackLoader.Load(folder.Path);

        Assert.DoesNotContain(engine.Rules, r => r.Text.Pack == "good-questions");
        Assert.DoesNotContain(engine.Rules, r => r.Id == "self-serving.budget");
    }

    [Fact]
    public void Changes_a_rules_level_and_wording()
    {
        using var folder = new TempFolder().With("org.yaml", """
            rules:
              self-serving.budget:
                level: info
                message: Our wording for the budget rule.
            """);

        var budget = RulePackLoader.Load(folder.Path).Rules.Single(r => r.Id == "self-serving.budget");

        Assert.Equal(Level.Info, budget.Text.Level);
        Assert.Equal("Our wording for the budget rule.", budget.Text.Message);
    }

    [Fact]
    public void Adds_phrases_to_a_rule()
    {
        using var folder = new TempFolder()
            .With("acme/pack.yaml", PackYaml).With("acme/best-in-class.yaml", ClaimRule)
            .With("org.yaml", "rules:\n  acme.best-in-class:\n    phrases_add: [industry-leading]\n");

        var engine = RulePackLoader.Load(folder.Path);

        Assert.Contains(engine.Evaluate("Hi Lee, our industry-leading tool will help you.").Findings, f => f.Rule == "acme.best-in-class");
    }

    [Fact]
    public void Accepted_words_never_make_a_rule_fire()
    {
        using var folder = new TempFolder()
            .With("acme/pack.yaml", PackYaml).With("acme/best-in-class.yaml", ClaimRule)
            .With("org.yaml", "vocabulary:\n  accept: [\"World-Class Support Plan\"]\n");

        var engine = RulePackLoader.Load(folder.Path);

        Assert.DoesNotContain(engine.Evaluate("Hi Lee, the World-Class Support Plan is included for you.").Findings, f => f.Rule == "acme.best-in-class");
    }

    [Fact]
    public void Rejected_words_are_a_concern()
    {
        using var folder = new TempFolder().With("org.yaml", "vocabulary:\n  reject: [no-brainer]\n");

        var reply = new Coach(RulePackLoader.Load(folder.Path)).Review("Hi Lee, honestly this is a no-brainer for your team.");

        Assert.Equal(Verdict.Revise, reply.Verdict);
        Assert.Contains(reply.Findings, f => f.Category == Categories.OrgRejected && f.Level == Level.Concern);
    }

    [Fact]
    public void Raising_the_confidence_threshold_hides_less_certain_findings()
    {
        using var folder = new TempFolder().With("org.yaml", "min_confidence: high\n");

        var engine = RulePackLoader.Load(folder.Path);
        var findings = DefaultCoach.Engine.Rules.Select(r => r.Text).Where(t => t.Confidence < Confidence.High).SelectMany(t => t.Fire.Take(1));

        Assert.All(findings, text => Assert.All(engine.Evaluate(text).Findings, f => Assert.Equal(Confidence.High, f.Confidence)));
        var sure = DefaultCoach.Engine.Rules.First(r => r.Text.Confidence == Confidence.High);
        Assert.Contains(engine.Evaluate(sure.Text.Fire[0]).Findings, f => f.Rule == sure.Id);
    }

    [Fact]
    public void Adds_phrases_to_a_default_rule_whose_phrases_sit_among_alternatives()
    {
        using var folder = new TempFolder().With("org.yaml", """
            rules:
              self-serving.budget:
                phrases_add: ["spend envelope"]
                examples:
                  fire: ["What spend envelope are you working with?"]
            """);

        var engine = RulePackLoader.Load(folder.Path);

        Assert.Contains(engine.Evaluate("What spend envelope are you working with?").Findings, f => f.Rule == "self-serving.budget");
    }

    [Fact]
    public void An_override_that_breaks_a_rules_own_examples_is_refused()
    {
        using var folder = new TempFolder()
            .With("acme/pack.yaml", PackYaml).With("acme/best-in-class.yaml", ClaimRule)
            .With("org.yaml", "rules:\n  acme.best-in-class:\n    phrases_remove: [\"best in class\"]\n");

        var ex = Assert.Throws<RulePackException>(() => RulePackLoader.Load(folder.Path));

        Assert.Contains(ex.Errors, e => e.File.EndsWith("best-in-class.yaml", StringComparison.Ordinal) && e.Field == "examples.fire[0]");
    }

    [Theory]
    [InlineData("disable_packs: [no-such-pack]\n", "disable_packs", "no-such-pack")]
    [InlineData("disable_rules: [self-serving.nope]\n", "disable_rules", "self-serving.nope")]
    [InlineData("min_confidence: very\n", "min_confidence", "very")]
    [InlineData("colour: blue\n", "colour", "unknown field")]
    [InlineData("rules:\n  self-serving.budget:\n    level: loud\n", "rules.self-serving.budget.level", "loud")]
    [InlineData("lexicon:\n  value-to-custmer: {add: [x]}\n", "lexicon.value-to-custmer", "no lexicon list")]
    [InlineData("lexicon: [x]\n", "lexicon", "expected a mapping")]
    [InlineData("vocabulary: x\n", "vocabulary", "expected {accept")]
    [InlineData("rules:\n  ? [a, b]\n  : {level: info}\n", "rules.?", "no rule has this id")]
    public void A_mistake_in_org_yaml_names_the_field_and_why(string orgYaml, string field, string reason)
    {
        using var folder = new TempFolder().With("org.yaml", orgYaml);

        var ex = Assert.Throws<RulePackException>(() => RulePackLoader.Load(folder.Path));

        var error = Assert.Single(ex.Errors);
        Assert.EndsWith("org.yaml", error.File, StringComparison.Ordinal);
        Assert.StartsWith(field, error.Field, StringComparison.Ordinal);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_overrides_folder_names_the_full_path()
    {
        var ex = Assert.Throws<RulePackException>(() => RulePackLoader.Load("/no/such/coachbot/folder"));

        Assert.Equal("/no/such/coachbot/folder", Assert.Single(ex.Errors).File);
    }
}
