namespace CoachBot.Tests;

/// <summary>Paths in the repository and beside it, found from the test binary's folder.</summary>
internal static class Repo
{
    public static string Root => CoachBot.TestSupport.TestPeers.RepoRoot;

    /// <summary>The shared folder beside the repository (docs and the labelled dev set).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));
}
