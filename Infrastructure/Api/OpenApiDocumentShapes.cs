using NJsonSchema;
using NSwag;

namespace IgLive.Service.Infrastructure.Api;

/// <summary>
/// Whole-document fixes, so that the OpenAPI 3.0 document passes Redocly's <c>recommended</c> rules and generators
/// read it as the API behaves: the contract's problem shape, the <c>apikey</c> scheme, 3.0 nullability.
/// </summary>
internal static class OpenApiDocumentShapes
{
    public static void Apply(OpenApiDocument doc)
    {
        DescribeProblems(doc);
        doc.SecurityDefinitions[OpenApiSchemes.ApiKey] = new OpenApiSecurityScheme
        {
            Type = OpenApiSecuritySchemeType.ApiKey,
            In = OpenApiSecurityApiKeyLocation.Header,
            Name = "apikey",
            Description = "The anon or service-role key (Supabase's API gateway key; `?apikey=` works too).",
        };
        var seen = new HashSet<JsonSchema>();
        foreach (var schema in doc.Definitions.Values) Visit(schema, seen);
    }

    /// <summary>
    /// NJsonSchema writes a nullable reference as <c>{nullable: true, oneOf: [$ref]}</c> with no <c>type</c>, which 3.0
    /// tools reject (<c>nullable</c> needs a sibling <c>type</c>). Write <c>{type: object, nullable: true, allOf: [$ref]}</c>;
    /// a one-element <c>oneOf</c> is an <c>allOf</c> (a reference with a description of its own).
    /// </summary>
    private static void Visit(JsonSchema schema, HashSet<JsonSchema> seen)
    {
        if (schema.Reference is not null || !seen.Add(schema)) return;
        if (schema.OneOf.Count == 1 && schema.AllOf.Count == 0 && schema.AnyOf.Count == 0)
        {
            var only = schema.OneOf.Single();
            schema.OneOf.Clear();
            schema.AllOf.Add(only);
        }
        if (schema.IsNullableRaw == true && schema.Type == JsonObjectType.None && schema.AllOf.Count == 1
            && schema.AllOf.Single().ActualSchema.Type.HasFlag(JsonObjectType.Object))
            schema.Type = JsonObjectType.Object;

        foreach (var property in schema.Properties.Values) Visit(property, seen);
        foreach (var part in schema.AllOf.Concat(schema.OneOf).Concat(schema.AnyOf)) Visit(part, seen);
        if (schema.Item is { } item) Visit(item, seen);
        if (schema.AdditionalPropertiesSchema is { } extra) Visit(extra, seen);
    }

    /// <summary>
    /// Every problem response refers to the schema <c>ProblemDetails</c>; FastEndpoints describes its own shape (errors as
    /// a list). Rewrite it once to what the API really sends (see ProblemsExtensions).
    /// </summary>
    private static void DescribeProblems(OpenApiDocument doc)
    {
        if (!doc.Definitions.TryGetValue("ProblemDetails", out var problem)) return;
        problem.Properties.Clear();
        problem.AllowAdditionalProperties = false;
        problem.Description = "RFC 9457 problem details, as application/problem+json. `errors` only for validation failures (400).";
        void Add(string name, JsonObjectType type, string description, bool required = true)
        {
            problem.Properties[name] = new JsonSchemaProperty { Type = type, Description = description, IsRequired = required };
        }
        Add("type", JsonObjectType.String, "URI identifying the problem type.");
        Add("title", JsonObjectType.String, "Short summary of the problem type.");
        Add("status", JsonObjectType.Integer, "HTTP status code.");
        Add("detail", JsonObjectType.String, "What went wrong, for a human.");
        Add("instance", JsonObjectType.String, "The request path.");
        Add("trace_id", JsonObjectType.String, "Trace id to quote when reporting the problem.");
        problem.Properties["errors"] = new JsonSchemaProperty
        {
            Type = JsonObjectType.Object,
            IsNullableRaw = true, // 3.0 has no type list: nullable, not ["null", "object"]
            Description = "Validation messages keyed by snake_case field name.",
            AdditionalPropertiesSchema = new JsonSchema { Type = JsonObjectType.Array, Item = new JsonSchema { Type = JsonObjectType.String } },
        };
        doc.Definitions.Remove("ProblemDetails_Error");
    }
}
