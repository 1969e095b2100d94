using IgLive.Service.Infrastructure.ImageKit;

namespace IgLive.Service.Infrastructure.Storage;

/// <summary>
/// Videos kept in ImageKit, addressed by ImageKit <c>fileId</c> (the value in <c>videos.storage_key</c>).
/// Uploads go through <see cref="ImageKitClient.UploadAsync"/>; this type is the deletion side, including finding
/// by path the files of uploads that failed before their fileId was known.
/// </summary>
public sealed class ImageKitFileStore(ImageKitClient client) : IFileStore
{
    public string Provider => StorageProviders.ImageKit;
    public int MaxDeleteBatch => ImageKitClient.MaxBulkDelete;

    /// <summary>The client, for uploads and file details.</summary>
    public ImageKitClient Client => client;

    public async Task<IReadOnlyCollection<string>> FindByPathAsync(string path, CancellationToken ct)
        => (await client.FindByPathAsync(path, ct)).Select(f => f.FileId!).ToArray();

    public async Task<IReadOnlyCollection<string>> DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        switch (keys.Count)
        {
            case 0: return [];
            case 1:
                var key = keys.First();
                await client.DeleteFileAsync(key, ct); // true deleted, false already gone: both are gone
                return [key];
        }
        var gone = new List<string>(keys.Count);
        foreach (var chunk in keys.Chunk(ImageKitClient.MaxBulkDelete))
            gone.AddRange(await client.BulkDeleteAsync(chunk, ct));
        return gone;
    }
}
