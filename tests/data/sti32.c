#include <stdio.h>
#include <sys/mman.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
int main(void){
  char *buf = mmap((void*)0x10000, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_32BIT|MAP_FIXED, -1, 0);
  if (buf == MAP_FAILED) { perror("mmap"); return 2; }
  buf[0] = 'x';
  int fd = 0;
  long ret;
  __asm__ volatile ("int $0x80" : "=a"(ret) : "a"(54), "b"(fd), "c"(0x5412), "d"(buf) : "memory");
  printf("int80 ret=%ld\n", ret);
  return 0;
}
