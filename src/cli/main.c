#include <stdio.h>
int main(void){puts("winnow");return 0;}
