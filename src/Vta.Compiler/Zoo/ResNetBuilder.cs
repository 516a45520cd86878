using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.ModelZoo;

/// <summary>
/// Builds MXNet Gluon's ResNet v1 (the structure of the ONNX Model Zoo's resnet*-v1-7) with seeded synthetic
/// weights: He-initialised convolutions, and batch norms whose running statistics are measured, layer by layer, on
/// a small seeded calibration image as training would have recorded them, so every batch norm output is roughly
/// N(beta, gamma^2). Names follow Gluon's scopes: conv0, batchnorm0, stage2_conv1, stage2__plus0, dense0, ...
/// </summary>
internal sealed class ResNetBuilder
{
    private const float Epsilon = 1e-5f;

    // Two 64 x 64 images cost a sixth of one 224 x 224 inference. The last stage then has only 2 x 2 pixels per
    // image, so per-channel variances there are rough: a floor keeps them from collapsing.
    private const int CalibrationSize = 64;
    private const int CalibrationBatch = 2;

    private readonly GraphBuilder _b;
    private readonly SeededRandom _random;
    private readonly Dictionary<string, int> _counters = [];
    private readonly Dictionary<string, Tensor> _probes = [];

    public ResNetBuilder(string name, int seed)
    {
        _b = new GraphBuilder(name);
        _random = new SeededRandom(seed);
    }

    /// <summary>An activation of the graph and its value on the calibration image.</summary>
    private sealed record Act(string Value, Tensor Probe)
    {
        public int Channels => Probe.Shape[1];
    }

    public Graph Build(bool bottleneck, int[] layers, int[] channels, int batch, int imageSize, int classes)
    {
        _b.AddInput("data", new TensorType(DataType.Float32, new Shape(batch, 3, imageSize, imageSize)));
        Shape probeShape = new(CalibrationBatch, 3, CalibrationSize, CalibrationSize);
        float[] probe = new float[probeShape.ElementCount];
        for (int i = 0; i < probe.Length; i++)
        {
            probe[i] = (float)_random.NextGaussian();
        }
        Act x = new("data", Tensor.FromArray(probeShape, probe));
        x = ConvBn(string.Empty, x, channels[0], 7, 2, 3, bias: false, relu: true, Gamma);
        x = Node(string.Empty, "pool", new MaxPool(new Size2d(3, 3), new Size2d(2, 2), new Pads2d(1, 1, 1, 1)), x);
        for (int stage = 0; stage < layers.Length; stage++)
        {
            string scope = $"stage{stage + 1}_";
            for (int block = 0; block < layers[stage]; block++)
            {
                int stride = block == 0 && stage > 0 ? 2 : 1;
                bool downsample = block == 0 && x.Channels != channels[stage + 1];
                x = bottleneck ? Bottleneck(scope, x, channels[stage + 1], stride, downsample) : Basic(scope, x, channels[stage + 1], stride, downsample);
            }
        }
        x = Node(string.Empty, "pool", new GlobalAvgPool(), x);
        x = Node(string.Empty, "flatten", new Flatten(), x);
        string weights = Constant("dense0_weight", Gaussian(new Shape(classes, x.Channels), x.Channels, gain: 1));
        string bias = Constant("dense0_bias", Uniform(new Shape(classes), -0.01f, 0.01f));
        x = Node(string.Empty, "dense", new Dense(), x, weights, bias);
        _b.AddOutput(x.Value);
        return _b.Build();
    }

    /// <summary>Gluon BasicBlockV1: conv3x3(stride)-BN-ReLU-conv3x3-BN, plus the input or a 1x1 conv-BN downsample, then ReLU.</summary>
    private Act Basic(string scope, Act x, int channels, int stride, bool downsample)
    {
        Act body = ConvBn(scope, x, channels, 3, stride, 1, bias: false, relu: true, Gamma);
        body = ConvBn(scope, body, channels, 3, 1, 1, bias: false, relu: false, ResidualGamma);
        return Residual(scope, x, body, channels, stride, downsample);
    }

    /// <summary>Gluon BottleneckV1: conv1x1(stride, bias)-BN-ReLU-conv3x3-BN-ReLU-conv1x1(bias)-BN, residual as above.</summary>
    private Act Bottleneck(string scope, Act x, int channels, int stride, bool downsample)
    {
        Act body = ConvBn(scope, x, channels / 4, 1, stride, 0, bias: true, relu: true, Gamma);
        body = ConvBn(scope, body, channels / 4, 3, 1, 1, bias: false, relu: true, Gamma);
        body = ConvBn(scope, body, channels, 1, 1, 0, bias: true, relu: false, ResidualGamma);
        return Residual(scope, x, body, channels, stride, downsample);
    }

    private static (float Min, float Max) Gamma => (0.8f, 1.2f);

    /// <summary>The last batch norm of a residual branch gets a small gamma so the residual stream grows slowly, as in trained ResNets.</summary>
    private static (float Min, float Max) ResidualGamma => (0.2f, 0.5f);

    private Act Residual(string scope, Act x, Act body, int channels, int stride, bool downsample)
    {
        Act shortcut = downsample ? ConvBn(scope, x, channels, 1, stride, 0, bias: false, relu: false, Gamma) : x;
        Act sum = Node(scope, "_plus", new Add(), body, shortcut.Value);
        return Node(scope, "activation", new Relu(), sum);
    }

    private Act ConvBn(string scope, Act x, int outChannels, int kernel, int stride, int pad, bool bias, bool relu, (float Min, float Max) gamma)
    {
        string conv = $"{scope}conv{Next(scope + "conv")}";
        List<string> parameters = [Constant(conv + "_weight", Gaussian(new Shape(outChannels, x.Channels, kernel, kernel), x.Channels * kernel * kernel, gain: 2))];
        if (bias)
        {
            parameters.Add(Constant(conv + "_bias", Uniform(new Shape(outChannels), -0.05f, 0.05f)));
        }
        Act y = Add(conv, new Conv2d(new Size2d(stride, stride), new Pads2d(pad, pad, pad, pad), Size2d.One), x, [.. parameters]);

        string bn = $"{scope}batchnorm{Next(scope + "batchnorm")}";
        (float[] mean, float[] variance) = ChannelMoments(y.Probe);
        float floor = variance.Order().ElementAt(variance.Length / 2) / 4;
        Shape c = new(outChannels);
        // Running statistics a little off the measured ones, as a finite training set leaves them.
        for (int i = 0; i < outChannels; i++)
        {
            mean[i] += (float)(0.05 * Math.Sqrt(variance[i]) * _random.NextGaussian());
            variance[i] = Math.Max(variance[i], floor) * (float)(0.9 + (0.2 * _random.NextDouble()));
        }
        y = Add(bn, new BatchNorm(Epsilon), y,
            Constant(bn + "_gamma", Uniform(c, gamma.Min, gamma.Max)), Constant(bn + "_beta", Uniform(c, -0.1f, 0.1f)),
            Constant(bn + "_running_mean", Tensor.FromArray(c, mean)), Constant(bn + "_running_var", Tensor.FromArray(c, variance)));
        return relu ? Node(scope, "relu", new Relu(), y) : y;
    }

    /// <summary>A node named scope + kind + running index (its output value has the same name).</summary>
    private Act Node(string scope, string kind, Op op, Act x, params string[] constants) =>
        Add($"{scope}{kind}{Next(scope + kind)}", op, x, constants);

    /// <summary>Adds a node reading x and further values, and evaluates it on the calibration image.</summary>
    private Act Add(string name, Op op, Act x, params string[] others)
    {
        _b.AddNode(name, op, [x.Value, .. others], name);
        Tensor[] inputs = [x.Probe, .. others.Select(o => _b.ConstantOf(o) ?? _probes[o])];
        TensorType outType = op.InferOutputs([.. inputs.Select(t => t.Type)])[0];
        Tensor probe = OpEvaluator.Evaluate(op, inputs, [outType])[0];
        _probes[name] = probe;
        return new Act(name, probe);
    }

    private static (float[] Mean, float[] Variance) ChannelMoments(Tensor t)
    {
        float[] v = t.As<float>();
        int channels = t.Shape[1], plane = t.Shape[2] * t.Shape[3], batch = t.Shape[0];
        float[] mean = new float[channels], variance = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            double sum = 0, sumSq = 0;
            for (int n = 0; n < batch; n++)
            {
                for (int i = ((n * channels) + c) * plane, end = i + plane; i < end; i++)
                {
                    sum += v[i];
                    sumSq += (double)v[i] * v[i];
                }
            }
            double count = (double)batch * plane, m = sum / count;
            mean[c] = (float)m;
            variance[c] = (float)Math.Max((sumSq / count) - (m * m), 1e-6);
        }
        return (mean, variance);
    }

    private string Constant(string name, Tensor value)
    {
        _b.AddConstant(name, value);
        return name;
    }

    private int Next(string key)
    {
        int n = _counters.GetValueOrDefault(key);
        _counters[key] = n + 1;
        return n;
    }

    /// <summary>N(0, gain / fanIn): He (Kaiming) initialisation for gain 2, LeCun for gain 1.</summary>
    private Tensor Gaussian(Shape shape, int fanIn, double gain)
    {
        double std = Math.Sqrt(gain / fanIn);
        float[] v = new float[shape.ElementCount];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = (float)(std * _random.NextGaussian());
        }
        return Tensor.FromArray(shape, v);
    }

    private Tensor Uniform(Shape shape, float min, float max)
    {
        float[] v = new float[shape.ElementCount];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = (float)(min + ((max - min) * _random.NextDouble()));
        }
        return Tensor.FromArray(shape, v);
    }
}
