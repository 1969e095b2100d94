using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace IgLive.Service.Infrastructure.ImageKit;

public static class ImageKitExtensions
{
    /// <summary>Longest pause between two attempts of an API call (a request is waiting on it).</summary>
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The two HttpClients of <see cref="ImageKitClient"/>. API calls (all idempotent: details, delete, bulk delete):
    /// per-attempt timeout, retries on 429/5xx/timeouts honouring <c>X-RateLimit-Reset</c>, a total timeout over all
    /// attempts. Uploads: one long total timeout and no retry (the streamed body cannot be replayed).
    /// </summary>
    public static IServiceCollection AddImageKit(this IServiceCollection services)
    {
        services.AddSingleton<ImageKitClient>();

        services.AddHttpClient(ImageKitClient.ApiClientName, (sp, http) => Configure(sp, http, o => o.ApiBaseUrl))
            .AddResilienceHandler("imagekit-api", (pipeline, ctx) =>
            {
                var o = ctx.ServiceProvider.GetRequiredService<IOptions<ImageKitOptions>>().Value;
                // Timeouts and back-off are wall-clock matters: never the injected (business, testable) clock.
                pipeline.TimeProvider = TimeProvider.System;
                var attempt = TimeSpan.FromSeconds(o.ApiTimeoutSeconds);
                pipeline.AddTimeout(attempt * (o.ApiRetries + 1) + TimeSpan.FromSeconds(o.ApiRetries * 2 + 1));
                if (o.ApiRetries > 0)
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = o.ApiRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = TimeSpan.FromMilliseconds(200),
                        MaxDelay = MaxRetryDelay,
                        // Transient: HttpRequestException, attempt timeout, 408, 429, 5xx; but a rate limit that resets
                        // later than we are willing to wait is answered at once (503 + Retry-After) instead.
                        ShouldHandle = args => ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome)
                            && !(args.Outcome.Result is { StatusCode: System.Net.HttpStatusCode.TooManyRequests } r
                                 && ImageKitClient.RetryDelay(r) > MaxRetryDelay)),
                        DelayGenerator = args => ValueTask.FromResult(
                            args.Outcome.Result is { } rsp && ImageKitClient.RetryDelay(rsp) is { } d
                                ? (TimeSpan?)(d < MaxRetryDelay ? d : MaxRetryDelay)
                                : null),
                    });
                pipeline.AddTimeout(attempt);
            });

        services.AddHttpClient(ImageKitClient.UploadClientName, (sp, http) => Configure(sp, http, o => o.UploadBaseUrl))
            .AddResilienceHandler("imagekit-upload", (pipeline, ctx) =>
            {
                var o = ctx.ServiceProvider.GetRequiredService<IOptions<ImageKitOptions>>().Value;
                pipeline.TimeProvider = TimeProvider.System;
                pipeline.AddTimeout(TimeSpan.FromSeconds(o.UploadTimeoutSeconds));
            });
        return services;
    }

    private static void Configure(IServiceProvider sp, HttpClient http, Func<ImageKitOptions, string> baseUrl)
    {
        var o = sp.GetRequiredService<IOptions<ImageKitOptions>>().Value;
        http.BaseAddress = new Uri(baseUrl(o).TrimEnd('/') + "/");
        http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
        // Basic auth: the private key as user name and an empty password ("private_xxx:").
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes((o.PrivateKey ?? "") + ":")));
    }
}
