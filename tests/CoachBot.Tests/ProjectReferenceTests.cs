using System.Xml.Linq;

namespace CoachBot.Tests;

public sealed class ProjectReferenceTests
{
    // Dependencies point inwards: Coaching knows no project of ours; each channel and storage know
    // only Coaching; the host knows them all. Tests know the project they test (and what it knows).
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["CoachBot.Coaching"] = [],
        ["CoachBot.Teams"] = ["CoachBot.Coaching"],
        ["CoachBot.Slack"] = ["CoachBot.Coaching"],
        ["CoachBot.Storage"] = ["CoachBot.Coaching"],
        ["CoachBot"] = ["CoachBot.Coaching", "CoachBot.Teams", "CoachBot.Slack", "CoachBot.Storage"],
    };

    public static TheoryData<string> SourceProjects()
    {
        var data = new TheoryData<string>();
        foreach (var project in Directory.EnumerateFiles(Path.Combine(Repo.Root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            data.Add(Path.GetFileNameWithoutExtension(project));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void Source_projects_only_reference_projects_further_in(string project)
    {
        Assert.True(Allowed.TryGetValue(project, out var allowed), $"{project} is not in the dependency table; add it on purpose.");
        var references = References(Path.Combine(Repo.Root, "src", project, project + ".csproj"));

        Assert.All(references, reference => Assert.True(allowed.Contains(reference), $"{project} must not reference {reference}"));
    }

    [Fact]
    public void Coaching_has_no_web_database_or_http_dependency()
    {
        var csproj = XDocument.Load(Path.Combine(Repo.Root, "src", "CoachBot.Coaching", "CoachBot.Coaching.csproj"));

        Assert.Equal("Microsoft.NET.Sdk", csproj.Root!.Attribute("Sdk")?.Value);
        Assert.Empty(csproj.Descendants("FrameworkReference"));
        Assert.All(csproj.Descendants("PackageReference").Select(p => p.Attribute("Include")!.Value), package => Assert.Equal("YamlDotNet", package));
    }

    [Fact]
    public void Every_test_project_references_only_what_its_project_may_see()
    {
        foreach (var project in Directory.EnumerateFiles(Path.Combine(Repo.Root, "tests"), "*.Tests.csproj", SearchOption.AllDirectories))
        {
            var name = Path.GetFileNameWithoutExtension(project);
            var target = name[..^".Tests".Length];
            var visible = Allowed.TryGetValue(target, out var inner) ? inner.Append(target).Append("CoachBot.Testing").ToHashSet() : null;
            Assert.True(visible is not null, $"{name} tests a project that does not exist");
            Assert.All(References(project), reference => Assert.True(visible.Contains(reference), $"{name} must not reference {reference}"));
        }
    }

    private static IEnumerable<string> References(string csproj) =>
        XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')));
}
