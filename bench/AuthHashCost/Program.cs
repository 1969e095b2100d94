using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

// Times ASP.NET Core Identity's PasswordHasher (V3: PBKDF2-HMAC-SHA512) as configured in the service:
// one VerifyHashedPassword on one thread, then as many verifies as possible on all cores.
var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var hasher = new PasswordHasher<object>(Options.Create(new PasswordHasherOptions
{
    CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
    IterationCount = iterations,
}));
var hash = hasher.HashPassword(new object(), "correct horse battery staple");
for (var i = 0; i < 5; i++) hasher.VerifyHashedPassword(new object(), hash, "correct horse battery staple");

var sw = Stopwatch.StartNew();
var single = 0;
while (sw.Elapsed.TotalSeconds < seconds) { hasher.VerifyHashedPassword(new object(), hash, "correct horse battery staple"); single++; }
var msPerVerify = sw.Elapsed.TotalMilliseconds / single;

var total = 0;
sw.Restart();
Parallel.For(0, Environment.ProcessorCount, _ =>
{
    while (sw.Elapsed.TotalSeconds < seconds)
    {
        hasher.VerifyHashedPassword(new object(), hash, "correct horse battery staple");
        Interlocked.Increment(ref total);
    }
});
var parallelPerSecond = total / sw.Elapsed.TotalSeconds;

Console.WriteLine(FormattableString.Invariant(
    $"iterations={iterations} cores={Environment.ProcessorCount} verify_ms_single_thread={msPerVerify:F1} verifies_per_s_single_thread={1000 / msPerVerify:F1} verifies_per_s_all_cores={parallelPerSecond:F1}"));
