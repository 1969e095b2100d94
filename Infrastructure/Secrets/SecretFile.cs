using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace IgLive.Service.Infrastructure.Secrets;

/// <summary>
/// Secrets the service generates for itself and keeps in its data folder (the local JWT secret, generated keys). A new
/// file is written to a temporary name created with mode 0600 (never readable by others, not even for a moment),
/// flushed, then linked into place only if no file is there yet: when two instances start at once, both end up with
/// the value written first, and nobody ever reads a half-written file.
/// </summary>
public static class SecretFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnly | UnixFileMode.UserExecute;

    /// <summary>
    /// The secret stored at <paramref name="path"/> (trimmed), or, when there is none, <paramref name="generate"/>'s value,
    /// stored there first. The folder is created owner-only when missing; an existing file readable by others is
    /// narrowed to 0600.
    /// </summary>
    public static string ReadOrCreate(string path, Func<string> generate)
    {
        ArgumentNullException.ThrowIfNull(generate);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
            else Directory.CreateDirectory(folder, OwnerOnlyDirectory);
        }

        for (var attempt = 0; ; attempt++)
        {
            if (TryRead(path) is { } existing) return existing;
            var temp = WriteTemporary(folder, path, generate());
            try
            {
                LinkIntoPlace(temp, path);
            }
            catch (IOException) when (File.Exists(path) && attempt < 3)
            {
                // Lost the race: the winner's file is complete (it was flushed before being linked); read that one.
            }
            finally
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>
    /// Gives the complete temporary file its final name only if that name is free, atomically: link(2) fails with EEXIST
    /// when another process was first. File.Move without overwrite is not enough: on Linux it may check, then rename,
    /// which replaces a file created in between.
    /// </summary>
    private static void LinkIntoPlace(string temp, string path)
    {
        if (OperatingSystem.IsWindows())
        {
            File.Move(temp, path, overwrite: false); // MoveFileEx without REPLACE_EXISTING: atomic there
            return;
        }
        if (Link(temp, path) == 0) return;
        if (Marshal.GetLastPInvokeError() == EExist) throw new IOException($"{path} exists already.");
        File.Move(temp, path, overwrite: false); // a file system without hard links: the best .NET offers
    }

    /// <summary>errno EEXIST (Linux and macOS alike).</summary>
    private const int EExist = 17;

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string created);

    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/> (0600 from creation), replacing any file there.</summary>
    public static void Write(string path, string value)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temp = WriteTemporary(folder, path, value);
        try { File.Move(temp, path, overwrite: true); }
        finally { File.Delete(temp); }
    }

    private static string WriteTemporary(string folder, string path, string value)
    {
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Convert.ToHexString(RandomNumberGenerator.GetBytes(8))}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        try
        {
            using var stream = new FileStream(temp, options);
            using var writer = new StreamWriter(stream);
            writer.Write(value);
            writer.Flush();
            stream.Flush(flushToDisk: true);
            return temp;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static string? TryRead(string path)
    {
        if (!File.Exists(path)) return null;
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~OwnerOnly & (UnixFileMode)0b111_111_111) != 0)
            File.SetUnixFileMode(path, OwnerOnly);
        var text = File.ReadAllText(path).Trim();
        return text.Length > 0 ? text : throw new InvalidOperationException($"The secret file {path} is empty; delete it to have a new one generated.");
    }
}
