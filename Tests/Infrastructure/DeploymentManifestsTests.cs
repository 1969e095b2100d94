using IgLive.Service.Features.Housekeeping.CleanupOldVideos;
using YamlDotNet.RepresentationModel;

namespace IgLive.Service.Tests.Infrastructure;

/// <summary>Structure of deploy/k8s and deploy/compose.yaml: the invariants operators rely on (see deploy/k8s/README.md).</summary>
[TestFixture]
public sealed class DeploymentManifestsTests
{
    private static readonly string Root = FindRepoRoot();
    private static readonly (string, string)[] ResourceFields = [("requests", "cpu"), ("requests", "memory"), ("limits", "cpu"), ("limits", "memory")];

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "IgLive.Service.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static YamlMappingNode Load(string relative)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Root, relative));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node switch
            {
                YamlMappingNode m => m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : throw new AssertionException($"missing '{key}'"),
                YamlSequenceNode s when int.TryParse(key, out var i) => s.Children[i],
                _ => throw new AssertionException($"cannot descend into '{key}'"),
            };
        }
        return node;
    }

    private static string S(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value!;

    private static YamlMappingNode Container(YamlNode workload, params string[] podSpecPath)
        => (YamlMappingNode)((YamlSequenceNode)At(workload, [.. podSpecPath, "containers"])).Children.Single();

    [Test]
    public void Deployment_probes_security_and_rollout()
    {
        var d = Load("deploy/k8s/deployment.yaml");
        Assert.That(S(d, "kind"), Is.EqualTo("Deployment"));
        Assert.That(int.Parse(S(d, "spec", "replicas")), Is.GreaterThanOrEqualTo(2));
        Assert.That(S(d, "spec", "strategy", "type"), Is.EqualTo("RollingUpdate"));
        Assert.That(S(d, "spec", "strategy", "rollingUpdate", "maxUnavailable"), Is.EqualTo("0"));
        Assert.That(S(d, "spec", "template", "spec", "securityContext", "runAsNonRoot"), Is.EqualTo("true"));

        var c = Container(d, "spec", "template", "spec");
        Assert.Multiple(() =>
        {
            Assert.That(S(c, "readinessProbe", "httpGet", "path"), Is.EqualTo("/health/ready"));
            Assert.That(S(c, "livenessProbe", "httpGet", "path"), Is.EqualTo("/health/live"));
            Assert.That(S(c, "securityContext", "readOnlyRootFilesystem"), Is.EqualTo("true"));
            Assert.That(S(c, "securityContext", "allowPrivilegeEscalation"), Is.EqualTo("false"));
            Assert.That(S(c, "securityContext", "capabilities", "drop", "0"), Is.EqualTo("ALL"));
            foreach (var (kind, resource) in ResourceFields)
                Assert.That(S(c, "resources", kind, resource), Is.Not.Empty, $"{kind}.{resource}");
        });
        var env = ((YamlSequenceNode)At(c, "env")).Children.Cast<YamlMappingNode>()
            .ToDictionary(e => S(e, "name"), e => S(e, "value"));
        Assert.That(env["Database__MigrateOnStartup"], Is.EqualTo("false"), "the migration Job migrates");
        var mounts = ((YamlSequenceNode)At(c, "volumeMounts")).Children.Select(m => S(m, "mountPath")).ToArray();
        Assert.That(mounts, Does.Contain("/tmp").And.Contain("/app/data"), "writable paths of a read-only root filesystem");
    }

    [Test]
    public void Service_hpa_and_pdb_select_the_deployment()
    {
        var d = Load("deploy/k8s/deployment.yaml");
        var podName = S(d, "spec", "template", "metadata", "labels", "app.kubernetes.io/name");
        Assert.That(S(Load("deploy/k8s/service.yaml"), "spec", "selector", "app.kubernetes.io/name"), Is.EqualTo(podName));
        Assert.That(S(Load("deploy/k8s/pdb.yaml"), "spec", "selector", "matchLabels", "app.kubernetes.io/name"), Is.EqualTo(podName));
        var hpa = Load("deploy/k8s/hpa.yaml");
        Assert.That(S(hpa, "apiVersion"), Is.EqualTo("autoscaling/v2"));
        Assert.That(S(hpa, "spec", "scaleTargetRef", "name"), Is.EqualTo(S(d, "metadata", "name")));
    }

    [Test]
    public void Migration_job_runs_the_migrate_command_with_the_same_image()
    {
        var job = Load("deploy/k8s/migration-job.yaml");
        var c = Container(job, "spec", "template", "spec");
        Assert.That(S(job, "kind"), Is.EqualTo("Job"));
        Assert.That(S(c, "args", "0"), Is.EqualTo("migrate"));
        Assert.That(S(c, "image"), Is.EqualTo(S(Container(Load("deploy/k8s/deployment.yaml"), "spec", "template", "spec"), "image")));
        Assert.That(S(job, "spec", "template", "spec", "restartPolicy"), Is.EqualTo("Never"));
    }

    [Test]
    public void Config_map_holds_no_secret_and_the_secret_template_only_placeholders()
    {
        var data = (YamlMappingNode)At(Load("deploy/k8s/configmap.yaml"), "data");
        var keys = data.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToArray();
        Assert.That(keys, Has.None.Contains("Secret").And.None.Contains("PrivateKey").And.None.Contains("ConnectionStrings"));
        Assert.That(keys, Does.Contain("Cleanup__Cron").And.Contain("Storage__Provider").And.Contain("Auth__Mode"));

        var secret = (YamlMappingNode)At(Load("deploy/k8s/secret.template.yaml"), "stringData");
        Assert.That(secret.Children.Values.Select(v => ((YamlScalarNode)v).Value), Has.All.Contains("REPLACE_ME"));
        Assert.That(secret.Children.Keys.Select(k => ((YamlScalarNode)k).Value), Does.Contain("ConnectionStrings__Postgres"));
    }

    [Test]
    public void Redis_runs_beside_the_replicas_and_the_secret_points_the_service_at_it()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Root, "deploy/k8s/redis.yaml"))) yaml.Load(reader);
        var docs = yaml.Documents.Select(d => (YamlMappingNode)d.RootNode).ToDictionary(d => S(d, "kind"));
        var redis = docs["Deployment"];
        var podName = S(redis, "spec", "template", "metadata", "labels", "app.kubernetes.io/name");
        Assert.That(S(docs["Service"], "spec", "selector", "app.kubernetes.io/name"), Is.EqualTo(podName));
        Assert.That(S(docs["Service"], "spec", "ports", "0", "port"), Is.EqualTo("6379"));
        var c = Container(redis, "spec", "template", "spec");
        Assert.That(S(c, "env", "0", "valueFrom", "secretKeyRef", "key"), Is.EqualTo("REDIS_PASSWORD"));
        Assert.That(File.ReadAllText(Path.Combine(Root, "deploy/k8s/kustomization.yaml")), Does.Contain("- redis.yaml"));

        var secret = (YamlMappingNode)At(Load("deploy/k8s/secret.template.yaml"), "stringData");
        Assert.That(S(secret, "Redis__ConnectionString"), Does.StartWith($"{S(docs["Service"], "metadata", "name")}.iglive.svc.cluster.local:6379,"));
        Assert.That(int.Parse(S(Load("deploy/k8s/deployment.yaml"), "spec", "replicas")), Is.GreaterThanOrEqualTo(2));
        Assert.That(S(Load("deploy/k8s/pdb.yaml"), "spec", "minAvailable"), Is.EqualTo("1"));
    }

    [Test]
    public void Every_configuration_key_of_the_contract_is_documented()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var operations = File.ReadAllText(Path.Combine(Root, "docs", "operations.md"));
        string[] keys = ["ConnectionStrings__Postgres", "Auth__Mode", "Auth__JwtSecret", "Supabase__Url", "Supabase__AnonKey",
            "Supabase__JwtSecret", "Storage__Provider", "Storage__LocalPath", "ImageKit__PublicKey", "ImageKit__PrivateKey",
            "ImageKit__UrlEndpoint", "ImageKit__Folder", "ImageKit__UploadBaseUrl", "ImageKit__ApiBaseUrl", "Upload__MaxBytes",
            "Cleanup__RetentionDays", "Cleanup__Cron", "Cleanup__BatchSize", "OTEL_EXPORTER_OTLP_ENDPOINT"];
        Assert.Multiple(() =>
        {
            foreach (var key in keys)
            {
                Assert.That(readme, Does.Contain(key), $"README documents {key}");
                Assert.That(operations, Does.Contain(key), $"docs/operations.md documents {key}");
            }
        });
        Assert.That(new CleanupOptions().Cron, Is.EqualTo("0 0/15 * * * ?"), "README's default cron is the code's");
    }
}
