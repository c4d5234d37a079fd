# The Functions app with ONNX Runtime's CUDA provider, for GPU hosting (Azure Container Apps with GPU workload
# profiles, or any host that runs Azure Functions containers with an NVIDIA GPU).
#   docker build -f functions/gpu.Dockerfile -t crnngan-functions-gpu .
# Build from the repository root. The runtime image adds what ONNX Runtime 1.31's CUDA provider loads (CUDA 13:
# the runtime, cuBLAS, cuBLASLt and cuRAND; cuDNN is not needed by the exported graphs) from NVIDIA's repository.
# The host needs an NVIDIA driver of 580 or later and the NVIDIA container toolkit (docker run --gpus all).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish functions/CrnnGan.Functions -c Release -r linux-x64 --self-contained false \
    -p:OnnxRuntimeFlavour=gpu -o /home/site/wwwroot

FROM mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0
ARG CUDA_REPOSITORY=https://developer.download.nvidia.com/compute/cuda/repos/debian12/x86_64
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
    && curl -fsSL "$CUDA_REPOSITORY/cuda-keyring_1.1-1_all.deb" -o /tmp/cuda-keyring.deb \
    && dpkg -i /tmp/cuda-keyring.deb && rm /tmp/cuda-keyring.deb \
    && apt-get update \
    && apt-get install -y --no-install-recommends cuda-cudart-13-0 libcublas-13-0 libcurand-13-0 \
    && rm -rf /var/lib/apt/lists/*
ENV LD_LIBRARY_PATH=/usr/local/cuda-13.0/targets/x86_64-linux/lib:$LD_LIBRARY_PATH \
    AzureWebJobsScriptRoot=/home/site/wwwroot \
    AzureFunctionsJobHost__Logging__Console__IsEnabled=true \
    Generation__ExecutionProvider=Cuda
COPY --from=build /home/site/wwwroot /home/site/wwwroot
