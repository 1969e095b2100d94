using FastEndpoints;
using IgLive.Service.Features.Discovery.ComputeTrending;
using IgLive.Service.Features.Events.Fanout;
using IgLive.Service.Features.Housekeeping.CleanupOldVideos;
using IgLive.Service.Features.LocalAuth;
using IgLive.Service.Features.LocalAuth.ServiceRoleGuard;
using IgLive.Service.Features.Media.Processing;
using IgLive.Service.Features.Moderation.Moderators;
using IgLive.Service.Features.Moderation.Suspension;
using IgLive.Service.Features.Notifications.NewVideoFanout;
using IgLive.Service.Features.Profiles.EnsureProfile;
using IgLive.Service.Features.Videos;
using IgLive.Service.Infrastructure.Api;
using IgLive.Service.Infrastructure.Auth;
using IgLive.Service.Infrastructure.Configuration;
using IgLive.Service.Infrastructure.Database;
using IgLive.Service.Infrastructure.Problems;
using IgLive.Service.Infrastructure.Server;
using IgLive.Service.Infrastructure.Storage;
using IgLive.Service.Infrastructure.Telemetry;

// `dotnet IgLive.Service.dll [migrate|cleanup|moderators …]`: no command serves HTTP; `migrate` applies migrations and
// exits, `cleanup` runs the cleanup once and exits, `moderators add|remove|list` manages moderators.
var command = args is [var first, ..] && !first.StartsWith('-') && !first.Contains('=') ? first : null;
var builder = WebApplication.CreateBuilder(ServerExtensions.WithAppContentRoot(command is null ? args : args[1..]));
try
{
    builder.AddIgLiveConfiguration();
}
catch (InvalidConfigurationException e)
{
    foreach (var problem in e.Problems) Console.Error.WriteLine($"configuration error: {problem}");
    return 2;
}

builder.AddIgLiveServer();
builder.AddIgLiveTelemetry();
builder.AddIgLiveProblems();
builder.AddIgLiveDatabase();
builder.AddIgLiveAuth();
builder.AddIgLiveLocalAuth();
builder.AddIgLiveStorage();
builder.AddIgLiveApi();
builder.AddIgLiveCleanup();
builder.AddIgLiveVideos();
builder.AddIgLiveMediaProcessing();
builder.AddIgLiveDiscovery();
builder.AddIgLiveEvents();
builder.AddIgLiveNotifications();
builder.Services.AddMemoryCache(o => o.SizeLimit = 100_000);
builder.Services.AddSingleton<SuspensionStates>();
builder.Services.AddSingleton<ILiveEventObserver, SuspensionObserver>(); // suspensions apply at once on every instance

var app = builder.Build();
switch (command)
{
    case null: break;
    case "migrate":
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        return 0;
    case "cleanup": return await CleanupOldVideosRunner.RunOnceAsync(app.Services, CancellationToken.None);
    case "moderators": return await ModeratorsCommand.RunAsync(app.Services, args[1..], Console.Out, Console.Error, CancellationToken.None);
    default:
        Console.Error.WriteLine($"unknown command '{command}'; known: migrate, cleanup, moderators");
        return 2;
}

app.UseIgLiveProblems();
app.UseIgLiveApi(c => c.Endpoints.Configurator = ep =>
{
    ep.PreProcessor<ServiceRoleGuardProcessor>(Order.Before);
    ep.PreProcessor<EnsureProfileProcessor>(Order.Before);
    ep.PreProcessor<SuspensionGate>(Order.Before);
});
return await app.RunOrExplainAsync();

public partial class Program;
