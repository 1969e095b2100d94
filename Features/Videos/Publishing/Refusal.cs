using System.Diagnostics.CodeAnalysis;
using FluentValidation.Results;

namespace IgLive.Service.Features.Videos.Publishing;

/// <summary>
/// Why a request is refused: a problem (<paramref name="Status"/>, <paramref name="Detail"/>) or, for invalid input,
/// the failed fields (a 400 with <c>errors</c>). Steps return it; the endpoint sends it, so each request has one error exit.
/// </summary>
public sealed record Refusal(int Status, string Detail, string? Title = null)
{
    /// <summary>The invalid fields; empty for a plain problem.</summary>
    public IReadOnlyList<ValidationFailure> Errors { get; init; } = [];

    public static Refusal Invalid(string field, string message) => Invalid([new ValidationFailure(field, message)]);

    public static Refusal Invalid(IReadOnlyList<ValidationFailure> failures) => new(400, failures[0].ErrorMessage) { Errors = failures };
}

/// <summary>What a step produced: its value, or the refusal the request ends with.</summary>
public readonly struct Outcome<T> where T : class
{
    private Outcome(T? value, Refusal? refusal) => (Value, Refusal) = (value, refusal);

    public T? Value { get; }
    public Refusal? Refusal { get; }

    [MemberNotNullWhen(true, nameof(Refusal))]
    [MemberNotNullWhen(false, nameof(Value))]
    public bool IsRefused => Refusal is not null;

    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(Refusal refusal) => new(null, refusal);
}
