using System.CommandLine;
using CoachBot.Teams;

namespace CoachBot.Cli;

/// <summary><c>coachbot teams-package --app-id ID [--out FILE]</c>: the Teams app zip to upload, with the bot's app id filled in.</summary>
internal static class TeamsPackageCommand
{
    public static Command Create()
    {
        var appId = new Option<string>("--app-id")
        {
            Description = "The bot's Microsoft App ID (a GUID), from its Azure Bot registration.",
            Required = true,
        };
        var output = new Option<string?>("--out")
        {
            Description = "Where to write the zip (default: coachbot-teams.zip in the current folder).",
        };
        var command = new Command("teams-package", "Write the Microsoft Teams app package (manifest and icons) for upload.") { appId, output };
        command.SetAction(parse =>
        {
            var manifestFolder = Path.Combine(AppContext.BaseDirectory, "manifest", "teams");
            byte[] zip;
            try
            {
                zip = TeamsAppPackage.Build(manifestFolder, parse.GetValue(appId)!);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException)
            {
                Console.Error.WriteLine("coachbot: " + ex.Message);
                return ExitCodes.Usage;
            }

            var path = Path.GetFullPath(parse.GetValue(output) ?? "coachbot-teams.zip");
            File.WriteAllBytes(path, zip);
            Console.WriteLine($"Wrote {path} ({zip.Length:N0} bytes). Upload it in Teams: Apps > Manage your apps > Upload an app.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
