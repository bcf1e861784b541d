using System.CommandLine;

namespace CoachBot.Cli;

/// <summary>The <c>coachbot</c> commands. With no command, the host runs the bot.</summary>
internal static class CommandLine
{
    public static readonly string[] Commands = ["check", "eval", "train", "rules", "db", "teams-package", "help", "--help", "-h", "-?", "--version"];

    /// <summary>A first word that is not an option ("check", or a typo of it) goes to the command line; "--urls ..." goes to the host.</summary>
    public static bool IsCommand(string[] args) =>
        args.Length > 0 && (!args[0].StartsWith('-') || Commands.Contains(args[0], StringComparer.Ordinal));

    public static int Run(string[] args, IConfiguration configuration)
    {
        var options = new CommandLineOptions(configuration["Coaching:OverridesPath"]);
        var root = new RootCommand("CoachBot: coaching for sales questions, call notes and messages. Run with no command to start the bot.")
        {
            CheckCommand.Create(options),
            EvalCommand.Create(options),
            TrainCommand.Create(options),
            RulesCommand.Create(options),
            DbCommand.Create(configuration),
            TeamsPackageCommand.Create(),
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

        // Every known failure has its own exit code and sentence; anything else is a bug, reported without a stack trace.
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("coachbot: " + ex.Message);
            return ExitCodes.Usage;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"coachbot: unexpected {ex.GetType().Name}: {ex.Message}. Please report this with the command you ran.");
            return ExitCodes.Internal;
        }
    }
}
