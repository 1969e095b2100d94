using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace IgLive.Service.Tests.Fakes;

/// <summary>An <see cref="ILoggerProvider"/> that keeps every message with its event name and real (monotonic) time.</summary>
public sealed class TimedLogCapture : ILoggerProvider
{
    public sealed record Entry(string Category, LogLevel Level, string EventName, string Message, long Timestamp);

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void Dispose() { }

    private sealed class Logger(TimedLogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner.Entries.Enqueue(new Entry(category, logLevel, eventId.Name ?? "", formatter(state, exception), Stopwatch.GetTimestamp()));
    }
}
