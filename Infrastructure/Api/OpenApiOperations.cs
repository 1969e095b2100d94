using Microsoft.AspNetCore.Authorization;
using Namotion.Reflection;
using NJsonSchema;
using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace IgLive.Service.Infrastructure.Api;

/// <summary>The security schemes of the OpenAPI document (names used in <see cref="OpenApiSecurity"/>).</summary>
public static class OpenApiSchemes
{
    /// <summary>FastEndpoints' name for the bearer scheme.</summary>
    public const string Bearer = "JWTBearerAuth";
    /// <summary>Supabase's <c>apikey</c> header (anon or service-role key) of the <c>/auth/v1</c> routes.</summary>
    public const string ApiKey = "SupabaseApiKey";
}

/// <summary>
/// Endpoint metadata: the endpoint is anonymous to ASP.NET Core (it checks credentials itself, with its own error
/// codes) but needs these schemes, all of them at once. Without it an anonymous endpoint is documented <c>security: []</c>.
/// </summary>
public sealed record OpenApiSecurity(params string[] Schemes);

/// <summary>Endpoint metadata: the body's schema for one content type when it is not the bound request type.</summary>
public sealed record OpenApiBody(string ContentType, Type Schema);

/// <summary>
/// Per-operation fixes for generators: explicit security on anonymous operations, query parameters with a default
/// are optional (and say their default), and bodies named by <see cref="OpenApiBody"/>.
/// </summary>
internal sealed class OpenApiOperations : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        if (context is not AspNetCoreOperationProcessorContext aspnet) return true;
        var metadata = aspnet.ApiDescription.ActionDescriptor.EndpointMetadata;
        var operation = context.OperationDescription.Operation;

        if (metadata.OfType<OpenApiSecurity>().LastOrDefault() is { Schemes.Length: > 0 } declared)
        {
            var requirement = new OpenApiSecurityRequirement();
            foreach (var scheme in declared.Schemes) requirement[scheme] = [];
            operation.Security = [requirement];
        }
        else if (metadata.OfType<OpenApiSecurity>().Any())
            operation.Security = [new OpenApiSecurityRequirement()]; // "no credentials needed", rather than "not said"
        else if (metadata.OfType<IAllowAnonymous>().Any())
            // Anonymous, or with the caller's bearer: an anonymous route still reads it when sent (liked_by_me, blocks
            // hidden), so generated clients and the try-it console must be able to send it.
            operation.Security = [new OpenApiSecurityRequirement(), new OpenApiSecurityRequirement { [OpenApiSchemes.Bearer] = [] }];

        if (metadata.OfType<FastEndpoints.EndpointDefinition>().FirstOrDefault()?.ReqDtoType is { } dto)
            DescribeDefaults(operation, dto);

        foreach (var body in metadata.OfType<OpenApiBody>())
            if (operation.RequestBody?.Content.TryGetValue(body.ContentType, out _) == true)
                operation.RequestBody.Content[body.ContentType] = new OpenApiMediaType // content types may share one object
                {
                    Schema = context.SchemaGenerator.GenerateWithReferenceAndNullability<JsonSchema>(
                        body.Schema.ToContextualType(), false, context.SchemaResolver),
                };
        return true;
    }

    /// <summary>
    /// A query parameter is optional when a new request object already holds a meaningful value for it
    /// (<c>Limit = 20</c>, <c>Status = "open"</c>): FastEndpoints leaves it alone when the parameter is absent.
    /// An empty string is not a default (it is the non-null placeholder of a required text).
    /// </summary>
    private static void DescribeDefaults(OpenApiOperation operation, Type dto)
    {
        var query = operation.Parameters.Where(p => p.Kind == OpenApiParameterKind.Query && p.IsRequired).ToArray();
        if (query.Length == 0 || dto.GetConstructor(Type.EmptyTypes) is null) return;
        var fresh = Activator.CreateInstance(dto);
        foreach (var parameter in query)
        {
            var property = dto.GetProperties().FirstOrDefault(p =>
                string.Equals(p.Name.Replace("_", ""), parameter.Name.Replace("_", ""), StringComparison.OrdinalIgnoreCase));
            var value = property?.GetValue(fresh);
            if (value is null || value is "" || (property!.PropertyType.IsValueType && value.Equals(Activator.CreateInstance(property.PropertyType))))
                continue;
            parameter.IsRequired = false;
            if (parameter.Schema is { } schema) schema.Default = value;
        }
    }
}
