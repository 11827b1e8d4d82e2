# Cross-compiling for 64-bit Arm Linux with Debian's gcc-aarch64-linux-gnu:
#   cmake -DCMAKE_TOOLCHAIN_FILE=.../aarch64-linux-gnu.cmake ...
# The programs run on an aarch64 board, or here under user-mode qemu:
#   qemu-aarch64 -L /usr/aarch64-linux-gnu ./program
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# Headers and libraries from the aarch64 sysroot only; programs from the host.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# How CMake (try_run, add_test/ctest) runs the target's programs.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu)
