using System.CommandLine;

namespace CoachBot.Cli;

/// <summary>The <c>coachbot</c> commands. With no command, the host runs the bot.</summary>
internal static class CommandLine
{
    public static readonly string[] Commands = ["check", "eval", "rules", "help", "--help", "-h", "-?", "--version"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0], StringComparer.Ordinal);

    public static int Run(string[] args, string? configuredOverrides)
    {
        var options = new CommandLineOptions(configuredOverrides);
        var root = new RootCommand("CoachBot: coaching for sales questions, call notes and messages. Run with no command to start the bot.")
        {
            CheckCommand.Create(options),
            EvalCommand.Create(options),
            RulesCommand.Create(options),
        };

        if (args is ["help", ..])
        {
            args = [.. args[1..], "--help"];
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine(error.Message);
            }

            Console.Error.WriteLine("Run 'coachbot --help' for the commands and options.");
            return ExitCodes.Usage;
        }

        return parse.Invoke();
    }
}
