// A private CA and a server certificate it signs, made at test time with OpenSSL (nothing
// checked in expires or leaks): for the HTTPS fake W&B server, whose clients must trust the
// CA by file, as a company's own W&B server behind its own CA.
#ifndef WANDB_TESTS_SUPPORT_TEST_CERTIFICATES_H_
#define WANDB_TESTS_SUPPORT_TEST_CERTIFICATES_H_

#include <string>

namespace wandb::testing {

struct TestCertificates {
  std::string ca_file;    // the CA's certificate (PEM): what a client is told to trust
  std::string cert_file;  // the server's certificate (PEM), for 127.0.0.1 and localhost
  std::string key_file;   // the server's private key (PEM)
};

// Writes ca.pem, server.pem and server-key.pem into `dir` (which must exist). Fails the
// test (REQUIRE) when OpenSSL cannot make them.
TestCertificates MakeTestCertificates(const std::string& dir);

}  // namespace wandb::testing

#endif  // WANDB_TESTS_SUPPORT_TEST_CERTIFICATES_H_
