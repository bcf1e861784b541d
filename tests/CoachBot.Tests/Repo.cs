using System.Reflection;

namespace CoachBot.Tests;

/// <summary>Paths in the repository and beside it, found from the test binary's folder.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>The shared folder beside the repository (docs and the labelled dev set).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    private static string FindRoot()
    {
        var project = typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "ProjectDirectory")?.Value;
        foreach (var start in new[] { AppContext.BaseDirectory, project }.OfType<string>())
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CoachBot.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("CoachBot.sln not found above " + AppContext.BaseDirectory);
    }
}
