// The namespaces nearly every slice uses; a slice adds its own `using` lines only for what is particular to it.
global using Dapper;
global using FastEndpoints;
global using FluentValidation;
global using IgLive.Service.Features.Common;
global using IgLive.Service.Infrastructure.Auth;
global using IgLive.Service.Infrastructure.Problems;
global using IgLive.Service.Infrastructure.RateLimiting;
global using Npgsql;
