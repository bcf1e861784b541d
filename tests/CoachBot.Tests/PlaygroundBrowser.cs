using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace CoachBot.Tests;

/// <summary>
/// The Agents Playground's web page in Debian's Chromium, headless, driven by playwright-core through
/// tests/realclients/playground-ui.mjs: one step per line in, one JSON answer per line out. What it reports is what is
/// on screen, as a rep would see it.
/// </summary>
internal sealed class PlaygroundBrowser : IAsyncDisposable
{
    private const string InstallHint = "apt-get install chromium, then npm ci --prefix tests/realclients";

    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private PlaygroundBrowser(Process process) => _process = process;

    /// <summary>Opens <paramref name="page"/> in Chromium (<c>CHROMIUM</c>, else <c>chromium</c> on PATH).</summary>
    public static async Task<PlaygroundBrowser> OpenAsync(Uri page)
    {
        var script = Path.Combine(Repo.Root, "tests", "realclients", "playground-ui.mjs");
        if (!File.Exists(Path.Combine(Repo.Root, "tests", "realclients", "node_modules", "playwright-core", "package.json")))
        {
            throw new InvalidOperationException($"playwright-core is not installed: {InstallHint}.");
        }

        var chromium = Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } configured ? configured
            : PlaygroundClient.FindOnPath("chromium") ?? throw new InvalidOperationException($"chromium is not on PATH: {InstallHint}.");
        var node = PlaygroundClient.FindOnPath("node") ?? throw new InvalidOperationException("node is not on PATH.");
        var start = new ProcessStartInfo(node)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(script)!,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(page.AbsoluteUri);
        start.ArgumentList.Add(chromium);
        var browser = new PlaygroundBrowser(Process.Start(start)!);
        browser._process.ErrorDataReceived += (_, e) =>
        {
            lock (browser._errors)
            {
                browser._errors.AppendLine(e.Data);
            }
        };
        browser._process.BeginErrorReadLine();
        var ready = await browser.ReadAsync(TimeSpan.FromSeconds(60));
        if (ready["ready"]?.GetValue<bool>() != true)
        {
            throw new InvalidOperationException("The browser did not open the playground: " + ready.ToJsonString());
        }

        return browser;
    }

    public Task SendAsync(string text) => StepAsync(new JsonObject { ["do"] = "send", ["text"] = text });

    /// <summary>Presses a button on the bot's last card.</summary>
    public Task ClickAsync(string label) => StepAsync(new JsonObject { ["do"] = "click", ["label"] = label });

    /// <summary>Waits until the bot's last card shows <paramref name="text"/>.</summary>
    public Task WaitForAsync(string text) => StepAsync(new JsonObject { ["do"] = "wait", ["text"] = text });

    /// <summary>The visible text of the bot's last card, and its buttons' labels.</summary>
    public async Task<(string Text, string[] Buttons)> LastCardAsync()
    {
        var answer = await StepAsync(new JsonObject { ["do"] = "card" });
        return (answer["text"]!.GetValue<string>(), [.. answer["buttons"]!.AsArray().Select(b => b!.GetValue<string>().Trim())]);
    }

    /// <summary>Saves the bot's last message as a PNG.</summary>
    public Task ScreenshotAsync(string path) => StepAsync(new JsonObject { ["do"] = "shot", ["path"] = path });

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await _process.StandardInput.WriteLineAsync("""{"do":"quit"}""");
                await _process.StandardInput.FlushAsync();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task<JsonObject> StepAsync(JsonObject step)
    {
        await _process.StandardInput.WriteLineAsync(step.ToJsonString());
        await _process.StandardInput.FlushAsync();
        var answer = await ReadAsync(TimeSpan.FromSeconds(60));
        if (answer["ok"]?.GetValue<bool>() != true)
        {
            throw new InvalidOperationException($"Browser step {step.ToJsonString()} failed: {answer["error"]}");
        }

        return answer;
    }

    private async Task<JsonObject> ReadAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            var line = await _process.StandardOutput.ReadLineAsync(cancel.Token);
            return (line is null ? null : JsonNode.Parse(line)?.AsObject())
                ?? throw new InvalidOperationException("The browser driver stopped.\n" + Errors());
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("The browser driver did not answer in time.\n" + Errors());
        }
    }

    private string Errors()
    {
        lock (_errors)
        {
            return _errors.ToString();
        }
    }
}
