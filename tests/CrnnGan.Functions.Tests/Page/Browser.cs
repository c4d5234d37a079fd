using Microsoft.Playwright;

namespace CrnnGan.Functions.Tests.Page;

/// <summary>
/// Debian's Chromium (`apt-get install chromium`; .ci/run installs it), driven headless by Playwright. Where it is
/// missing the browser tests skip, unless CRNNGAN_REQUIRE_BROWSER=1 (as in CI) makes that a failure.
/// </summary>
public static class Browser
{
    public static string ExecutablePath => Environment.GetEnvironmentVariable("CRNNGAN_CHROMIUM") ?? "/usr/bin/chromium";

    public static bool Required => Environment.GetEnvironmentVariable("CRNNGAN_REQUIRE_BROWSER") == "1";

    /// <summary>Where screenshots and figures go: CRNNGAN_TEST_ARTIFACTS (CI sets it beside the test results), else the test's folder.</summary>
    public static string ArtifactsFolder =>
        Directory
            .CreateDirectory(Environment.GetEnvironmentVariable("CRNNGAN_TEST_ARTIFACTS") ?? Path.Combine(AppContext.BaseDirectory, "artifacts"))
            .FullName;

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var present = File.Exists(ExecutablePath);
        if (!present && Required)
            throw new FileNotFoundException($"CRNNGAN_REQUIRE_BROWSER=1 but Chromium is not at {ExecutablePath}.");
        Assert.SkipUnless(present, $"Chromium is not at {ExecutablePath} (apt-get install chromium, or set CRNNGAN_CHROMIUM).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(
            new()
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                // The machine's network is closed: Chromium's background services would only fail and retry.
                Args =
                [
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            }
        );
        return (playwright, browser);
    }
}
