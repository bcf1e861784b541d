using System.CommandLine;
using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Rules;

namespace CoachBot.Cli;

/// <summary><c>coachbot rules list</c> and <c>coachbot rules test [FOLDER]</c>.</summary>
internal static class RulesCommand
{
    public static Command Create(CommandLineOptions options)
    {
        var list = new Command("list", "List every loaded rule with its level, category and message.")
        {
            options.Overrides, options.DefaultPacks,
        };
        list.SetAction(parse =>
        {
            var coach = options.LoadCoach(parse);
            if (coach is null)
            {
                return ExitCodes.BadPacks;
            }

            foreach (var pack in coach.Engine.Rules.GroupBy(r => r.Text.Pack))
            {
                Console.WriteLine($"{pack.Key} ({pack.Count()} rules)");
                foreach (var rule in pack)
                {
                    var t = rule.Text;
                    Console.WriteLine($"  {t.Id,-44} {WireNames.Of(t.Level),-8} {t.Category,-20} {string.Join(",", t.AppliesTo.Select(WireNames.Of))}");
                    Console.WriteLine($"      {t.Message}");
                }
            }

            return ExitCodes.Ok;
        });

        var folder = new Argument<string?>("FOLDER")
        {
            Description = "An overrides folder to check on top of the default packs (extra packs and org.yaml).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var test = new Command("test", "Run every rule's own examples (default packs plus the overrides in force); exit code 1 if any fails.")
        {
            folder, options.Overrides, options.DefaultPacks,
        };
        test.SetAction(parse =>
        {
            RuleEngine engine;
            try
            {
                var (path, source) = options.ResolveOverrides(parse, parse.GetValue(folder));
                engine = RulePackLoader.Load(path, parse.GetValue(options.DefaultPacks), source);
            }
            catch (RulePackException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return ex.Errors.Count > 0 && ex.Errors.All(e => e.Field.StartsWith("examples.", StringComparison.Ordinal))
                    ? ExitCodes.Revise
                    : ExitCodes.BadPacks;
            }

            var results = RuleExamples.Run(engine).ToList();
            foreach (var rule in results.GroupBy(r => r.Rule.Id))
            {
                var fire = rule.Count(r => r.ShouldFire);
                Console.WriteLine($"ok  {rule.Key,-44} {fire} fire, {rule.Count() - fire} silent");
            }

            Console.WriteLine($"{engine.Rules.Count} rules, {results.Count} examples, all passed.");
            return ExitCodes.Ok;
        });

        return new Command("rules", "List the rules, or test their examples.") { list, test };
    }
}
