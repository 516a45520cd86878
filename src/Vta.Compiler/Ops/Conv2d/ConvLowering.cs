namespace Vta.Compiler.Ops.Conv2d;

/// <summary>An operator brought to the normalized GEMM form: the problem and its fused epilogue.</summary>
public sealed record ConvLowering(ConvProblem Problem, Epilogue Epilogue);
