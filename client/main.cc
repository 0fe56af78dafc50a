// pantau: the inspector's laptop client. Everything is in cli.cc; only main() decides to exit.
#include <iostream>

#include "client/cli.h"

int main(int argc, char** argv) {
  try {
    return pantau::client::RunCli(argc, argv, std::cin, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "pantau: internal error: " << e.what() << "\n";
    return 1;
  }
}
