def gamma():
    pass
