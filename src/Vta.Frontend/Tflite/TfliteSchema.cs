namespace Vta.Frontend.Tflite;

/// <summary>
/// Field ids of the TFLite flatbuffer schema (tensorflow/lite/schema/schema.fbs) that the importer reads.
/// A union takes two ids (its type, then its value).
/// </summary>
internal static class TfliteSchema
{
    public const string FileIdentifier = "TFL3";

    public static class Model
    {
        public const int Version = 0, OperatorCodes = 1, Subgraphs = 2, Description = 3, Buffers = 4;
    }

    public static class OperatorCode
    {
        public const int DeprecatedBuiltinCode = 0, CustomCode = 1, Version = 2, BuiltinCode = 3;
    }

    public static class SubGraph
    {
        public const int Tensors = 0, Inputs = 1, Outputs = 2, Operators = 3, Name = 4;
    }

    public static class Tensor
    {
        public const int Shape = 0, Type = 1, Buffer = 2, Name = 3, Quantization = 4, IsVariable = 5, Sparsity = 6;
    }

    public static class QuantizationParameters
    {
        public const int Min = 0, Max = 1, Scale = 2, ZeroPoint = 3, DetailsType = 4, Details = 5, QuantizedDimension = 6;
    }

    public static class Operator
    {
        public const int OpcodeIndex = 0, Inputs = 1, Outputs = 2, BuiltinOptionsType = 3, BuiltinOptions = 4, CustomOptions = 5;
    }

    public static class Buffer
    {
        public const int Data = 0, Offset = 1, Size = 2;
    }

    /// <summary>Conv2DOptions, and DepthwiseConv2DOptions where the two agree (padding, strides).</summary>
    public static class Conv2DOptions
    {
        public const int Padding = 0, StrideW = 1, StrideH = 2, FusedActivation = 3, DilationW = 4, DilationH = 5;
    }

    public static class DepthwiseConv2DOptions
    {
        public const int Padding = 0, StrideW = 1, StrideH = 2, DepthMultiplier = 3, FusedActivation = 4, DilationW = 5, DilationH = 6;
    }

    public static class Pool2DOptions
    {
        public const int Padding = 0, StrideW = 1, StrideH = 2, FilterWidth = 3, FilterHeight = 4, FusedActivation = 5;
    }

    public static class FullyConnectedOptions
    {
        public const int FusedActivation = 0, WeightsFormat = 1, KeepNumDims = 2;
    }

    /// <summary>AddOptions, SubOptions, MulOptions: the activation is field 0.</summary>
    public static class ElementwiseOptions
    {
        public const int FusedActivation = 0;
    }

    public static class SoftmaxOptions
    {
        public const int Beta = 0;
    }

    public static class ConcatenationOptions
    {
        public const int Axis = 0, FusedActivation = 1;
    }

    public static class ReshapeOptions
    {
        public const int NewShape = 0;
    }

    public static class ReducerOptions
    {
        public const int KeepDims = 0;
    }

    public static class SqueezeOptions
    {
        public const int SqueezeDims = 0;
    }

    /// <summary>TFLite Padding enum.</summary>
    public const int PaddingSame = 0, PaddingValid = 1;
}
