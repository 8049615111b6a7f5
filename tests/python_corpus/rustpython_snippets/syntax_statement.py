
# Test several statement types

# small ones, seperated by ';':

if True:
    5;4;
    b=4
    b;
