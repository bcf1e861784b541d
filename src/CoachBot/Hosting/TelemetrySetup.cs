using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CoachBot.Hosting;

/// <summary>
/// OpenTelemetry for the host. Metrics and traces leave the process only when an exporter is configured:
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (the standard variable) for a collector, or <c>Telemetry:Console=true</c>.
/// </summary>
internal static class TelemetrySetup
{
    public static IServiceCollection AddCoachBotTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var console = configuration.GetValue("Telemetry:Console", false);
        if (!otlp && !console)
        {
            // Nothing would read them; don't pay for instrumentation on every request.
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("coachbot"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(CoachBotTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }

                if (console)
                {
                    metrics.AddConsoleExporter();
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(CoachBotTelemetry.Name, "Quartz").AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }

                if (console)
                {
                    tracing.AddConsoleExporter();
                }
            });
        services.AddHostedService<InboxGauge>();
        return services;
    }
}
