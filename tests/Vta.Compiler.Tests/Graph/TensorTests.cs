using Vta.Compiler.Graphs;

namespace Vta.Compiler.Tests.Graphs;

public class TensorTests
{
    [Fact]
    public void ReadsLittleEndianBytes()
    {
        Tensor t = Tensor.FromBytes(new TensorType(DataType.Int32, new Shape(2)), [1, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF]);
        Assert.Equal(new[] { 1, -2 }, t.As<int>());
        Assert.Throws<ArgumentException>(() => Tensor.FromBytes(new TensorType(DataType.Int32, new Shape(2)), new byte[7]));
    }

    [Fact]
    public void KeepsUint8AndInt8Apart()
    {
        // The CLR lets byte[] pass as sbyte[]: values above 127 must still be read as uint8.
        TensorType u8 = new(DataType.UInt8, new Shape(3));
        Tensor t = Tensor.FromInt32Values(u8, [0, 200, 255]);
        Assert.Equal(new[] { 0, 200, 255 }, t.ToInt32Values());
        Assert.Throws<InvalidOperationException>(() => t.As<sbyte>());
        Assert.Throws<OverflowException>(() => Tensor.FromInt32Values(new TensorType(DataType.Int8, new Shape(1)), [200]));
        Assert.Throws<ArgumentException>(() => new Tensor(u8, new sbyte[3]));
    }

    [Fact]
    public void DequantizesPerTensorAndPerChannel()
    {
        Tensor perTensor = Tensor.FromArray(new Shape(2), new byte[] { 128, 130 }, Quantization.PerTensor(0.5f, 128));
        Assert.Equal(new[] { 0f, 1f }, perTensor.Dequantize());
        Quantization q = Quantization.PerChannel([1f, 0.5f], [0, 2], 1);
        Tensor perChannel = Tensor.FromArray(new Shape(2, 2), new sbyte[] { 1, 4, 3, 6 }, q);
        Assert.Equal(new[] { 1f, 1f, 3f, 2f }, perChannel.Dequantize());
    }

    [Fact]
    public void QuantizationParametersAreValidated()
    {
        Assert.Throws<ArgumentException>(() => Quantization.PerTensor(0, 0));
        Assert.Throws<ArgumentException>(() => new Quantization([1f, 2f], [0], -1));
        Assert.Throws<ArgumentException>(() => Quantization.PerChannel([1f, 2f], [0, 0, 0], 0));
        Assert.Equal("q(s=0.5, zp=3)", Quantization.PerTensor(0.5f, 3).ToString());
        Assert.Equal("q(axis=0, 2 scales 0.25..0.5, zp=0)", Quantization.PerChannel([0.5f, 0.25f], [0, 0], 0).ToString());
    }
}
